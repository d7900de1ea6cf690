// `node bench/section.mjs <key>...`: runs only the named sections of bench/sections.mjs against the built page
// (dist/, as `npm run bench` serves it), so a topic can be measured without the whole bench. Prints the
// section's rows and budgets and the load average; writes nothing. BENCH_PORT as for the bench.
import { loadavg } from 'node:os';
import { log, median, RUNS, repeat, run, startBench } from './context.mjs';
import { sections } from './sections.mjs';

const keys = process.argv.slice(2);
const chosen = sections.filter((s) => keys.includes(s.key));
if (!chosen.length) {
  console.error(`bench/section.mjs: name one or more of: ${sections.map((s) => s.key).join(', ')}`);
  process.exit(2);
}
const { origin, browser, openPage, runTrace, close } = await startBench();
const before = loadavg();
try {
  for (const section of chosen) {
    log(section.title);
    const out = await section.measure({
      browser,
      origin,
      openPage,
      repeat,
      median,
      log,
      run,
      runTrace,
      RUNS,
    });
    console.log(
      `\n${section.title} (load average ${before.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} after)`,
    );
    for (const row of out.rows) console.log(`  ${row.join('  |  ')}`);
    for (const b of out.budgets)
      console.log(`  ${b.pass ? 'pass' : 'FAIL'}  ${b.name}: ${Number(b.value).toFixed(2)} (${b.budget})`);
    console.log(JSON.stringify(out.figures, null, 1));
  }
} finally {
  await close();
}
