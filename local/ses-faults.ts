import type { LocalSesAccount } from './ses-account.ts';

/**
 * Faults injected into the local SES account's sends, for tests and the bench: `throttle` (refused as the
 * rate limit refuses) or `transient` (a 500). The next `count` sends; or, with `share`, each send with that
 * probability from a generator seeded by `seed` (up to `count` faults, if given): the same sequence of
 * sends meets the same faults, run after run.
 */
export type SesFault = { error: 'throttle' | 'transient'; count?: number; share?: number; seed?: number };

/** The fault an outside caller asked for, checked; undefined if it is not one. */
export function sesFaultOf(value: unknown): SesFault | undefined {
  const { error, count, share, seed } = (value ?? {}) as Record<string, unknown>;
  const valid =
    (error === 'throttle' || error === 'transient') &&
    (count === undefined || (Number.isInteger(count) && (count as number) >= 1)) &&
    (share === undefined || (typeof share === 'number' && share > 0 && share <= 1)) &&
    (seed === undefined || Number.isInteger(seed)) &&
    (count !== undefined || share !== undefined);
  if (!valid) return undefined;
  return {
    error,
    ...(count === undefined ? {} : { count: count as number }),
    ...(share === undefined ? {} : { share: share as number }),
    ...(seed === undefined ? {} : { seed: seed as number }),
  };
}

/** mulberry32: a small seeded generator. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** The faults still to come: one draw per send, in the order sends arrive. */
export class SesFaultPlan {
  private plan: { error: SesFault['error']; left: number; share?: number; draw: () => number } | undefined;

  set(fault: SesFault): void {
    this.plan = {
      error: fault.error,
      left: fault.count ?? Number.POSITIVE_INFINITY,
      ...(fault.share === undefined ? {} : { share: fault.share }),
      draw: seeded(fault.seed ?? 1),
    };
  }

  clear(): void {
    this.plan = undefined;
  }

  /** The fault this send meets, if any. */
  draw(): SesFault['error'] | undefined {
    const plan = this.plan;
    if (!plan || plan.left <= 0) return undefined;
    if (plan.share !== undefined && plan.draw() >= plan.share) return undefined;
    plan.left -= 1;
    return plan.error;
  }

  left(): number | 'unlimited' {
    const left = this.plan?.left ?? 0;
    return Number.isFinite(left) ? left : 'unlimited';
  }
}

/** `GET /__local/ses`: quota and counts; `POST /__local/ses/faults` (an SesFault); `DELETE` it to clear. */
export function sesRoute(
  ses: LocalSesAccount,
  method: string,
  path: string,
  body: unknown,
): { status: number; body: unknown } {
  if (method === 'GET' && path === '/__local/ses') {
    return { status: 200, body: { ...ses.accountDetails(), ...ses.usage() } };
  }
  if (path !== '/__local/ses/faults' || (method !== 'POST' && method !== 'DELETE')) {
    return { status: 404, body: { message: 'Not Found' } };
  }
  if (method === 'DELETE') {
    ses.clearFaults();
    return { status: 200, body: {} };
  }
  const fault = sesFaultOf(body);
  if (!fault) {
    const form = '{"error": "throttle"|"transient", "count"?: n >= 1, "share"?: 0 < p <= 1, "seed"?: n}';
    return { status: 400, body: { message: `Give ${form}, with count or share` } };
  }
  ses.injectFaults(fault);
  return { status: 200, body: fault };
}
