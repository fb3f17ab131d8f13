import type * as z from 'zod';
import {
  type AuditAction,
  contentHash,
  type Decision,
  NewOfferInput,
  NewVersionInput,
  type Offer,
  type OfferAuditEntry,
  type OfferProblem,
  type OfferVersion,
  problemsOf,
  RejectionReason,
} from './offer.ts';
import type { DecisionRefusal, Offers, VersionDecision } from './ports.ts';

/** The use cases of offers: write, edit, approve or reject, and fetch what may be sent. */
export type OfferDeps = { offers: Offers; now: () => Date; newId: () => string };

/** The input breaks the offer's rules; `problems` names each field (`content.ru.html`) and why. */
export class OfferInvalid extends Error {
  override name = 'OfferInvalid';
  readonly problems: OfferProblem[];
  constructor(problems: OfferProblem[]) {
    super(`The offer is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.problems = problems;
  }
}

export class OfferNotFound extends Error {
  override name = 'OfferNotFound';
}

/** The edit was made from a version that is no longer the latest: someone saved another first. */
export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

/** A stored version whose content does not hash to its recorded hash: never sent, always reported. */
export class OfferIntegrityError extends Error {
  override name = 'OfferIntegrityError';
}

/**
 * Whether a decision may be recorded on this version, given the offer and the version as stored: the rule
 * the stores enforce in their conditional writes, and the words a refusal is explained with.
 */
export function refusalOf(
  offer: Offer | undefined,
  version: OfferVersion | undefined,
  request: VersionDecision,
): DecisionRefusal | undefined {
  if (!offer || !version) return 'not_found';
  if (version.decision) return 'already_decided';
  if (offer.latestVersion !== version.version) return 'superseded';
  if (version.hash !== request.decision.hash) return 'hash_mismatch';
  if (version.author === request.decision.by) return 'own_version';
  return undefined;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new OfferInvalid(problemsOf(parsed.error));
  return parsed.data;
}

function auditEntry(
  deps: OfferDeps,
  at: string,
  by: string,
  action: AuditAction,
  version: Pick<OfferVersion, 'offerId' | 'version' | 'hash'>,
  reason?: string,
): OfferAuditEntry {
  return {
    auditId: deps.newId(),
    offerId: version.offerId,
    at,
    by,
    action,
    version: version.version,
    hash: version.hash,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A campaign manager writes a new offer: it is stored with its version 1, which awaits approval. */
export async function createOffer(deps: OfferDeps, author: string, input: unknown): Promise<OfferVersion> {
  const { name, content } = parse(NewOfferInput, input);
  const at = deps.now().toISOString();
  const offerId = deps.newId();
  const offer: Offer = { offerId, name, author, createdAt: at, latestVersion: 1 };
  const first: OfferVersion = {
    offerId,
    version: 1,
    content,
    hash: contentHash(content),
    author,
    savedAt: at,
  };
  // Creating an offer is saving its version 1: one entry says both.
  const audit = auditEntry(deps, at, author, 'created', first);
  if ((await deps.offers.create(offer, first, audit)) === 'exists')
    throw new Error(`Offer id ${offerId} is taken`);
  return first;
}

/**
 * An edit is a new version (versions never change): numbered after the one it was made from, which must
 * still be the latest. The offer is no longer approved until the new version is.
 */
export async function saveVersion(
  deps: OfferDeps,
  offerId: string,
  author: string,
  input: unknown,
): Promise<OfferVersion> {
  const { basedOn, content } = parse(NewVersionInput, input);
  const at = deps.now().toISOString();
  const version: OfferVersion = {
    offerId,
    version: basedOn + 1,
    content,
    hash: contentHash(content),
    author,
    savedAt: at,
  };
  const saved = await deps.offers.saveVersion(
    version,
    auditEntry(deps, at, author, 'version_saved', version),
  );
  if (saved === 'not_found') throw new OfferNotFound(offerId);
  if (saved === 'stale') throw new VersionConflict(`Version ${basedOn} of the offer is not its latest`);
  return version;
}

/** What a compliance officer decides, on the version and the content hash they reviewed. */
export type DecisionInput =
  | { offerId: string; version: number; hash: string; outcome: 'approved' }
  | { offerId: string; version: number; hash: string; outcome: 'rejected'; reason: string };

/**
 * A compliance officer approves or rejects one version. The store refuses, atomically, a version that is
 * not the latest, was decided, has another hash or was written by the officer; the refusal says which.
 */
export async function decideVersion(
  deps: OfferDeps,
  officer: string,
  input: DecisionInput,
): Promise<{ decided: Decision } | { refused: DecisionRefusal }> {
  const at = deps.now().toISOString();
  const base = { by: officer, at, hash: input.hash };
  const decision: Decision =
    input.outcome === 'approved'
      ? { outcome: 'approved', ...base }
      : { outcome: 'rejected', ...base, reason: parse(RejectionReason, input.reason) };
  const target = { offerId: input.offerId, version: input.version, hash: input.hash };
  const reason = decision.outcome === 'rejected' ? decision.reason : undefined;
  const outcome = await deps.offers.decide(
    { offerId: input.offerId, version: input.version, decision },
    auditEntry(deps, at, officer, decision.outcome, target, reason),
  );
  return outcome === 'decided' ? { decided: decision } : { refused: outcome };
}

/** A version as the send may use it: approved, with the hash it was approved with, its content unaltered. */
function checkedForSending(version: OfferVersion | undefined, hash: string): OfferVersion | undefined {
  if (version?.decision?.outcome !== 'approved') return undefined;
  if (version.hash !== hash || version.decision.hash !== hash) return undefined;
  if (contentHash(version.content) !== hash) {
    throw new OfferIntegrityError(
      `Offer ${version.offerId} version ${version.version} does not match its hash`,
    );
  }
  return version;
}

/** The offer's approved version for a new campaign; none while the latest version awaits approval. */
export async function approvedVersion(deps: OfferDeps, offerId: string): Promise<OfferVersion | undefined> {
  const offer = await deps.offers.get(offerId);
  if (!offer?.approved) return undefined;
  return checkedForSending(await deps.offers.version(offerId, offer.approved.version), offer.approved.hash);
}

/**
 * The version a running campaign was launched with, if it is still exactly what was approved: the send
 * checks this with the number and hash it stored at launch, and stores the hash with every send.
 */
export async function versionForSending(
  deps: OfferDeps,
  offerId: string,
  version: number,
  hash: string,
): Promise<OfferVersion | undefined> {
  return checkedForSending(await deps.offers.version(offerId, version), hash);
}
