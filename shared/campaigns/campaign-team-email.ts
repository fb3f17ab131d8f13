import { type NotificationMark, notificationEmail } from '../leads/manager-email.ts';
import type { Email } from '../leads/ports.ts';
import { type Fact, factsHtml, factsText, paragraph } from '../templates/email.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, markup, type Templates, templatesFor } from '../templates/render.ts';
import type { Campaign, CampaignState, PauseReason, StepProgress } from './campaign.ts';
import { DEFAULT_GUARD, totalsOf } from './deliverability.ts';

/** Where the campaign team is told about its campaigns: the team's shared mailbox, and its language. */
export type CampaignMailbox = { address: string; language: Locale };

/** The reasons a campaign pauses itself for; a pause by a person is not told (they made it). */
export type GuardReason = Exclude<PauseReason, 'by_manager'>;

export type CampaignEmailOptions = { mark?: NotificationMark; apiUrl?: string };

/**
 * The API routes a campaign manager reads and steers the campaign with (shared/http/campaign-routes.ts
 * declares them), under the API's address when it is known.
 */
export function campaignRoutes(
  campaignId: string,
  apiUrl = '',
): { read: string; resume: string; cancel: string } {
  const campaign = `${apiUrl.replace(/\/+$/, '')}/v1/campaigns/${encodeURIComponent(campaignId)}`;
  return { read: campaign, resume: `${campaign}/resume`, cancel: `${campaign}/cancel` };
}

/**
 * Tells the campaign team, in its language, that a campaign paused itself: the guard that stopped it and
 * its figures against the campaign's own limits, what was done before the pause, and how to read, resume
 * or cancel it. The campaign's name was typed by a person: it is escaped like any other value.
 */
export function campaignPausedNotification(
  state: CampaignState,
  team: CampaignMailbox,
  options: CampaignEmailOptions = {},
): Email {
  const { campaign } = state;
  const { pause } = campaign;
  if (campaign.status !== 'paused' || !pause || pause.reason === 'by_manager') {
    throw new Error(`Campaign ${campaign.campaignId} is not paused by a guard`);
  }
  const t = templatesFor(team.language);
  const h = t.catalog.campaignTeamEmail;
  const routes = campaignRoutes(campaign.campaignId, options.apiUrl);
  const code = (url: string) => markup(`<code>${escapeHtml(url)}</code>`);
  const intro = { at: t.dateTime(pause.at), reason: t.catalog.labels.pauseReason[pause.reason] };
  const why = whyPaused(t, pause.reason, campaign, state.progress);
  const facts = campaignFacts(t, state, [h.facts.pausedAt, t.dateTime(pause.at)]);
  const steps = state.progress.map((p) => stepSection(t, p));
  const acts = [
    [h.act.read, routes.read],
    [h.act.resume, routes.resume],
    [h.act.cancel, routes.cancel],
  ] as const;

  return notificationEmail(
    t,
    {
      to: team.address,
      subject: t.text(h.paused.subject, { campaign: campaign.name }),
      htmlBody: [
        `<p>${t.html(h.paused.intro, { ...intro, campaign: strong(campaign.name) })}</p>`,
        paragraph(why),
        ...acts.map(([act, url]) => `<p>${t.html(act, { url: code(url) })}</p>`),
        factsHtml(facts),
        paragraph(h.sentSoFar),
        ...steps.map((s) => s.html),
      ].join('\n'),
      textLines: [
        t.text(h.paused.intro, { ...intro, campaign: campaign.name }),
        why,
        '',
        ...acts.map(([act, url]) => t.text(act, { url })),
        '',
        ...factsText(facts),
        '',
        h.sentSoFar,
        ...steps.flatMap((s) => s.text),
      ],
      repeatWarning: h.possibleRepeat,
    },
    options.mark,
  );
}

/**
 * The closing summary of a completed campaign, in the team's language: when it ran, each step's letters
 * (sent of the total, skipped by each reason, failed, and what SES reported of them), and how many
 * prospects answered.
 */
export function campaignCompletedNotification(
  state: CampaignState,
  team: CampaignMailbox,
  options: CampaignEmailOptions = {},
): Email {
  const { campaign } = state;
  if (campaign.status !== 'completed') throw new Error(`Campaign ${campaign.campaignId} is not completed`);
  const t = templatesFor(team.language);
  const h = t.catalog.campaignTeamEmail;
  const routes = campaignRoutes(campaign.campaignId, options.apiUrl);
  const facts = campaignFacts(t, state, [h.facts.endedAt, campaign.endedAt && t.dateTime(campaign.endedAt)]);
  const steps = state.progress.map((p) => stepSection(t, p));

  return notificationEmail(
    t,
    {
      to: team.address,
      subject: t.text(h.completed.subject, { campaign: campaign.name }),
      htmlBody: [
        `<p>${t.html(h.completed.intro, { campaign: strong(campaign.name) })}</p>`,
        factsHtml(facts),
        ...steps.map((s) => s.html),
        `<p>${t.html(h.completed.read, { url: markup(`<code>${escapeHtml(routes.read)}</code>`) })}</p>`,
      ].join('\n'),
      textLines: [
        t.text(h.completed.intro, { campaign: campaign.name }),
        '',
        ...factsText(facts),
        ...steps.flatMap((s) => s.text),
        '',
        t.text(h.completed.read, { url: routes.read }),
      ],
      repeatWarning: h.possibleRepeat,
    },
    options.mark,
  );
}

const strong = (text: string) => markup(`<strong>${escapeHtml(text)}</strong>`);

const percents = new Map<Locale, Intl.NumberFormat>();
/** A share as the language writes a percentage (ru: 4 %, 0,083 %): thresholds are that fine. */
function percent(locale: Locale, share: number): string {
  let format = percents.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 3 });
    percents.set(locale, format);
  }
  return format.format(share);
}

/** Why the guard stopped the campaign, with its figures now (events may have come in since the pause). */
function whyPaused(
  t: Templates,
  reason: GuardReason,
  campaign: Campaign,
  progress: readonly StepProgress[],
): string {
  const why = t.catalog.campaignTeamEmail.why;
  const totals = totalsOf(progress);
  const guard = campaign.deliverability ?? DEFAULT_GUARD;
  const share = (n: number) => percent(t.locale, totals.sent > 0 ? n / totals.sent : 0);
  const sample = { sent: totals.sent, minSample: guard.minSample };
  switch (reason) {
    case 'bounces':
      return t.text(why.bounces, {
        ...sample,
        rate: share(totals.bounced),
        bounced: totals.bounced,
        threshold: percent(t.locale, guard.bounceRate),
      });
    case 'complaints':
      return t.text(why.complaints, {
        ...sample,
        rate: share(totals.complained),
        complained: totals.complained,
        threshold: percent(t.locale, guard.complaintRate),
      });
    case 'send_errors':
      return t.text(why.send_errors, {
        failed: progress.reduce((n, p) => n + p.failed, 0),
        limit: campaign.pauseAfterErrors,
      });
    case 'ses_refused':
    case 'run_failed':
      return why[reason];
  }
}

/** The campaign as the team names it, when it ran, and how many prospects answered it. */
function campaignFacts(t: Templates, state: CampaignState, ended: Fact): Fact[] {
  const f = t.catalog.campaignTeamEmail.facts;
  const { campaign } = state;
  return [
    [f.campaign, campaign.name],
    [f.campaignId, campaign.campaignId],
    [f.launchedAt, campaign.launchedAt && t.dateTime(campaign.launchedAt)],
    ended,
    [f.responses, t.number(state.responses)],
  ];
}

/**
 * One step's letters: sent of the total, skipped by each reason (in the catalog's order; a reason it has
 * no label for, from older records, by its code), failed, and what SES reported of those sent.
 */
function stepSection(t: Templates, p: StepProgress): { html: string; text: string[] } {
  const s = t.catalog.campaignTeamEmail.step;
  const labels: Readonly<Record<string, string>> = t.catalog.labels.skipReason;
  const counted = (reason: string) => (p.skipped[reason] ?? 0) > 0;
  const reasons = [
    ...Object.keys(labels).filter(counted),
    ...Object.keys(p.skipped).filter((r) => !(r in labels) && counted(r)),
  ];
  const some = (n: number) => (n > 0 ? t.number(n) : undefined);
  const facts: Fact[] = [
    [s.sent, t.text(s.ofTotal, { sent: p.sent, total: p.total })],
    ...reasons.map((r): Fact => [t.text(s.skipped, { reason: labels[r] ?? r }), t.number(p.skipped[r] ?? 0)]),
    [s.failed, t.number(p.failed)],
    [s.deferred, some(p.deferred)],
    [s.open, some(p.open)],
    [s.delivered, t.number(p.delivered)],
    [s.bounced, t.number(p.bounced)],
    [s.complained, t.number(p.complained)],
    [s.opened, t.number(p.opened)],
    [s.clicked, t.number(p.clicked)],
  ];
  const heading = t.text(s.heading, { step: p.step });
  return {
    html: `<h3>${escapeHtml(heading)}</h3>\n${factsHtml(facts)}`,
    text: ['', heading, ...factsText(facts)],
  };
}
