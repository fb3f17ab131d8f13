/**
 * Runs the tasks `lanes` at a time, each lane taking the next task as it finishes one; the results come
 * back in the tasks' order. After a failure no new task starts, and the call rejects with the first failure
 * once the tasks already running have ended: nothing is left running behind the caller (in Lambda, work
 * left pending would resume, or not, in the next invocation).
 */
export async function inLanes<T>(tasks: readonly (() => Promise<T>)[], lanes: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < tasks.length && !failure) {
      const i = next++;
      try {
        results[i] = await (tasks[i] as () => Promise<T>)();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, tasks.length) }, lane));
  if (failure) throw failure.error;
  return results;
}
