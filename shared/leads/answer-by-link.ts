import type { Keys } from '../access/keys.ts';
import {
  type DecisionAction,
  type DecisionLinkClaims,
  readDecisionLink,
  signDecisionLink,
} from '../managers/decision-link.ts';
import { outcomesConfig } from '../managers/outcomes.ts';
import type { Locale } from '../templates/locale.ts';
import { type DecisionDeps, type DecisionRefusal, decideOnLead } from './decide-on-lead.ts';
import type { Assignment } from './lead.ts';

/**
 * The accept and decline links in a manager's email about a lead, and the pages they open. A link is an
 * HS256 token for one lead, one manager, one assignment and one action (shared/managers/decision-link.ts).
 * Opening it (GET) only shows a page with a button: mail scanners open links, and an answer must be the
 * manager's. Pressing the button (POST) answers through the same use case as the API, for the assignment
 * the link names: a second press, a link of an earlier assignment, or one of a lead that moved on
 * changes nothing and says why.
 */
export type LinkDeps = DecisionDeps & { keys: Keys };

/** The longest a link lives: past the due time it may still answer while the lead waits, then it is stale. */
const GRACE_MINUTES = 24 * 60;
const MAX_MINUTES = 31 * 24 * 60;

export type DecisionLinks = { accept: string; decline: string };

/** The two links for an assignment: `<apiUrl>/v1/decisions/<token>`, valid until a day past the due time. */
export async function decisionLinksFor(
  keys: Keys,
  apiUrl: string,
  leadId: string,
  assignment: Assignment,
  now: Date,
): Promise<DecisionLinks> {
  const untilDue = Math.ceil((Date.parse(assignment.acceptance.dueAt) - now.getTime()) / 60_000);
  const validMinutes = Math.min(MAX_MINUTES, Math.max(1, untilDue) + GRACE_MINUTES);
  const link = async (action: DecisionAction) => {
    const { token } = await signDecisionLink(keys, {
      leadId,
      managerId: assignment.managerId,
      assignmentId: assignment.assignmentId,
      action,
      now,
      validMinutes,
    });
    return `${apiUrl.replace(/\/+$/, '')}/v1/decisions/${token}`;
  };
  return { accept: await link('accept'), decline: await link('decline') };
}

/** What a link's page shows, in the manager's language. */
export type DecisionPage =
  | {
      kind: 'form';
      locale: Locale;
      action: DecisionAction;
      company: string;
      dueAt: string;
      /** The manager's own time zone, to show the due time in. */
      timeZone?: string;
      reasonMissing?: boolean;
    }
  | { kind: 'done'; locale: Locale; action: DecisionAction; company: string }
  | {
      kind: 'refused';
      locale: Locale;
      status: 403 | 404 | 409;
      reason: DecisionRefusal | 'invalid' | 'expired';
    };

type Opened = { claims: DecisionLinkClaims; locale: Locale; timeZone?: string } | DecisionPage;

async function open(deps: LinkDeps, token: string): Promise<Opened> {
  const read = await readDecisionLink(deps.keys, token, deps.now());
  if (!read.ok) {
    // A forged, altered or foreign token names nobody whose language could be trusted: the default one.
    const reason = read.reason === 'expired' ? 'expired' : 'invalid';
    return { kind: 'refused', locale: 'ru', status: 403, reason };
  }
  const manager = await deps.managers.get(read.claims.managerId);
  return {
    claims: read.claims,
    locale: manager?.language ?? 'ru',
    ...(manager ? { timeZone: manager.workingHours.timeZone } : {}),
  };
}

/** GET: the page a link opens, changing nothing: the question with its button, or why there is none. */
export async function openDecisionLink(deps: LinkDeps, token: string): Promise<DecisionPage> {
  const opened = await open(deps, token);
  if ('kind' in opened) return opened;
  const { claims, locale, timeZone } = opened;
  const lead = await deps.leads.get(claims.leadId);
  const assignment = lead?.assignment;
  if (!lead || (assignment?.managerId !== claims.managerId && !heldBefore(lead, claims.managerId))) {
    return { kind: 'refused', locale, status: 404, reason: 'not_found' };
  }
  if (assignment?.managerId !== claims.managerId) {
    return { kind: 'refused', locale, status: 409, reason: 'reassigned' };
  }
  if (assignment.assignmentId !== claims.assignmentId) {
    return { kind: 'refused', locale, status: 409, reason: 'stale' };
  }
  if (assignment.acceptedAt) return { kind: 'refused', locale, status: 409, reason: 'decided' };
  return {
    kind: 'form',
    locale,
    action: claims.action,
    company: lead.company.name,
    dueAt: assignment.acceptance.dueAt,
    ...(timeZone ? { timeZone } : {}),
  };
}

/** POST: the manager pressed the button; a decline needs a reason from the configured list. */
export async function answerByLink(
  deps: LinkDeps,
  token: string,
  form: { reasonCode?: string | undefined; note?: string | undefined },
): Promise<DecisionPage> {
  const opened = await open(deps, token);
  if ('kind' in opened) return opened;
  const { claims, locale } = opened;
  const reasonCode = form.reasonCode?.trim();
  const known = outcomesConfig.declineReasons.some((r) => r.code === reasonCode);
  if (claims.action === 'decline' && !known) {
    const page = await openDecisionLink(deps, token);
    return page.kind === 'form' ? { ...page, reasonMissing: true } : page;
  }
  const note = form.note?.trim().slice(0, 2000);
  const outcome = await decideOnLead(
    deps,
    { managerId: claims.managerId, userId: `link:${claims.linkId}` },
    claims.leadId,
    claims.action === 'accept'
      ? { action: 'accept' }
      : { action: 'decline', reasonCode: reasonCode ?? '', ...(note ? { note } : {}) },
    { assignmentId: claims.assignmentId },
  );
  if (!outcome.ok) {
    const status = outcome.refusal === 'not_found' ? 404 : 409;
    return { kind: 'refused', locale, status, reason: outcome.refusal };
  }
  const lead = await deps.leads.get(claims.leadId);
  return { kind: 'done', locale, action: claims.action, company: lead?.company.name ?? '' };
}

const heldBefore = (lead: { exclusions?: { managerId: string }[] }, managerId: string) =>
  lead.exclusions?.some((e) => e.managerId === managerId) ?? false;
