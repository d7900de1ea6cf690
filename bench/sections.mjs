// The bench's sections beyond the core figures in run.mjs, each in a file of its own so that a topic's
// measurements, rows and budgets live together. A section is
//   { key, title, measure(ctx) => { figures, rows: [label, value, comparison][], budgets: {name, value, budget, pass}[] } }
// where ctx is { browser, origin, openPage, repeat, median, log, run, runTrace, RUNS } from run.mjs.
// run.mjs stores each section's figures under results.figures[key] and prints its rows and budgets.
import { bigTracesSection } from './big-traces.mjs';
import { lessons } from './lessons.mjs';
import { lighthouseSection } from './lighthouse.mjs';
import pythonPool from './python-pool.mjs';
import pythonThreads from './python-threads.mjs';

/** @type {{ key: string, title: string, measure: (ctx: any) => Promise<{ figures: object, rows: string[][], budgets: { name: string, value: number, budget: string, pass: boolean }[] }> }[]} */
export const sections = [
  // New sections go here, one import and one line each.
  pythonPool,
  pythonThreads,
  lighthouseSection,
  bigTracesSection,
  lessons,
];
