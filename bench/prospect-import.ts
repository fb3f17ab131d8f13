import { parseProspectImport } from '#shared/prospects/import-parser.ts';
import { GENERATED_MAPPING, generatedCsv, keys } from '../test/unit/support/prospect-file.ts';

/**
 * `node --expose-gc bench/prospect-import.ts [rows]`: a generated CSV of 100,000 prospects (by default) streamed through
 * the import parser in batches of 25, as an import will read an upload. Prints rows/s, the file's size, and
 * the peak heap (sampled at every batch) and peak RSS (the process's own maximum) against where they stood
 * before: the file is made as it is read, so the growth is what parsing holds, not the file.
 * Not part of `npm run bench` yet: no import writes to DynamoDB until the import job exists.
 */
const ROWS = Number(process.argv[2] ?? 100_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

globalThis.gc?.();
const before = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
let peakHeap = before.heap;
let bytes = 0;
const file = (async function* () {
  for await (const chunk of generatedCsv(ROWS)) {
    bytes += chunk.length;
    yield chunk;
  }
})();

const started = performance.now();
const parser = parseProspectImport(file, {
  format: 'csv',
  mapping: GENERATED_MAPPING,
  importId: 'bench',
  keys,
});
let batches = 0;
/** With `--expose-gc`, the live heap after a collection every 400 batches: what parsing keeps, not garbage. */
let peakLive = before.heap;
for (let next = await parser.next(); ; next = await parser.next()) {
  if (next.done) {
    const seconds = (performance.now() - started) / 1000;
    const { rows, accepted, rejected } = next.value;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    console.log(
      `prospect import: ${rows} rows (${accepted} accepted, ${rejected} rejected) in ${batches} batches`,
    );
    console.log(`  file ${mb(bytes)}, ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s`);
    console.log(`  peak heap ${mb(peakHeap)} (${mb(peakHeap - before.heap)} over the start)`);
    if (globalThis.gc)
      console.log(`  peak live heap ${mb(peakLive)} (${mb(peakLive - before.heap)} over the start)`);
    console.log(`  peak RSS ${mb(peakRss)} (${mb(peakRss - before.rss)} over the start)`);
    break;
  }
  batches++;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  if (globalThis.gc && batches % 400 === 0) {
    globalThis.gc();
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  }
}
