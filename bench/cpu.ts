import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time the local runtime spends, read from /proc (Linux only), per part: the runtime's main thread
 * (HTTP API, state machines, stream pollers), the IAM gateway thread, the function environments (every
 * other thread of the runtime: the workers, retired ones included, and V8's shared compiler and GC
 * helpers), and the emulators' processes. CPU time is what isolation costs; wall time on a shared machine
 * mostly measures the neighbours.
 */
export type CpuSample = {
  main: number;
  gateway: number;
  functions: number;
  dynamodb: number;
  mailbox: number;
};

const PARTS: (keyof CpuSample)[] = ['main', 'gateway', 'functions', 'dynamodb', 'mailbox'];
const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/** utime + stime in ms from a /proc stat line (fields 14 and 15; the name in parentheses may hold spaces). */
function cpuMs(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

function descendants(pid: number): number[] {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
  })();
  const children = tasks.flatMap((tid) =>
    read(`/proc/${pid}/task/${tid}/children`).trim().split(/\s+/).filter(Boolean).map(Number),
  );
  return [...children, ...children.flatMap(descendants)];
}

/** The runtime's threads by name: the main thread, and the gateway as the first worker thread it starts. */
function runtimeThreads(pid: number, total: number): Pick<CpuSample, 'main' | 'gateway' | 'functions'> {
  const threads = readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .sort((a, b) => a - b)
    .map((tid) => ({
      name: read(`/proc/${pid}/task/${tid}/comm`).trim(),
      ms: cpuMs(`/proc/${pid}/task/${tid}/stat`),
    }));
  const main = threads.find((t) => t.name === 'MainThread')?.ms ?? 0;
  // runtime.ts starts the gateway before any function environment, so its thread is the oldest worker.
  const gateway = threads.find((t) => t.name === 'WorkerThread')?.ms ?? 0;
  return { main, gateway, functions: total - main - gateway };
}

/** Samples the runtime started by this process (local/start.ts) and its emulators; undefined off Linux. */
export function sampleCpu(): CpuSample | undefined {
  if (process.platform !== 'linux') return undefined;
  const sample: CpuSample = { main: 0, gateway: 0, functions: 0, dynamodb: 0, mailbox: 0 };
  for (const pid of descendants(process.pid)) {
    const command = read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');
    if (command.startsWith('sh ')) continue; // the watchdogs around the emulators
    let total: number;
    try {
      total = cpuMs(`/proc/${pid}/stat`);
    } catch {
      continue; // exited meanwhile
    }
    if (command.includes('local/start.ts')) Object.assign(sample, runtimeThreads(pid, total));
    else if (command.startsWith('java ')) sample.dynamodb += total;
    else if (command.includes('aws-ses-v2-local')) sample.mailbox += total;
  }
  return sample;
}

/** CPU ms per unit of work between two samples, by part, with the node runtime's total. */
export function cpuPer(before: CpuSample | undefined, after: CpuSample | undefined, units: number) {
  if (!before || !after) return undefined;
  const per = Object.fromEntries(PARTS.map((p) => [p, (after[p] - before[p]) / units])) as CpuSample;
  return { ...per, node: per.main + per.gateway + per.functions };
}

export function formatCpu(per: ReturnType<typeof cpuPer>): string {
  if (!per) return 'n/a (reads /proc: Linux only)';
  const ms = (v: number) => v.toFixed(1);
  return `runtime ${ms(per.node)} ms (main ${ms(per.main)}, IAM gateway ${ms(per.gateway)}, function environments ${ms(per.functions)}); DynamoDB Local ${ms(per.dynamodb)} ms, mailbox ${ms(per.mailbox)} ms`;
}
