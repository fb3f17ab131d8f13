/** The longest delay Node's setTimeout keeps: anything above fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/**
 * Calls `onFire` once, `ms` from now, however far that is: AWS holds executions up to a year and tasks up to
 * 99999999 s, past Node's 24.8-day ceiling, so the wait is made of chunks that each fit under it. Each chunk
 * is armed for what is left until the deadline, so late chunks do not add up. `chunkMs` is for tests.
 */
export function startLongTimer(ms: number, onFire: () => void, chunkMs = MAX_TIMER_MS): LongTimer {
  if (!(chunkMs >= 1 && chunkMs <= MAX_TIMER_MS)) throw new RangeError(`chunkMs must be 1..${MAX_TIMER_MS}`);
  const deadline = Date.now() + Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  const arm = (delay: number) => {
    timer = setTimeout(() => {
      const left = deadline - Date.now();
      if (left > 0) arm(Math.min(left, chunkMs));
      else onFire();
    }, delay);
  };
  arm(Math.min(Math.max(0, ms), chunkMs));
  return {
    cancel: () => {
      clearTimeout(timer);
    },
  };
}
