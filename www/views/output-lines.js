// @ts-check
/**
 * A run's printed lines as the page shows them: each line with its stream. Lines a program wrote to standard
 * error (logging, warnings, a traceback it printed, `print(..., file=sys.stderr)`) are styled apart, in a
 * colour of their own and with a visible `stderr` tag, so that the difference never rests on colour alone.
 * The stream is the trace's (`OutputLine.stream`, crate/src/trace.rs); a trace from before streams were kept
 * has none, and its lines are stdout.
 */

import { el, formatMs } from '../dom.js';

/**
 * The stream a line was printed to.
 * @param {{ stream?: string | null }} line
 * @returns {'stdout' | 'stderr'}
 */
export const streamOf = (line) => (line.stream === 'stderr' ? 'stderr' : 'stdout');

/**
 * Whether a line went to standard error.
 * @param {{ stream?: string | null }} line
 */
export const isStderr = (line) => streamOf(line) === 'stderr';

/**
 * A line's text with its stream said in words when it is stderr (`stderr: WARNING:root:Watch out!`), for
 * summaries, labels and tooltips.
 * @param {{ text: string, stream?: string | null }} line
 */
export const spokenText = (line) => (isStderr(line) ? `stderr: ${line.text}` : line.text);

/**
 * The lines of the Lab's "Output order" comparison: what `print` shows, stdout only (see
 * docs/decisions/2026-12-05-stderr-shown.md).
 * @template {{ stream?: string | null }} L
 * @param {L[]} lines
 * @returns {L[]}
 */
export const printedToStdout = (lines) => lines.filter((line) => !isStderr(line));

/**
 * The list of a run's printed lines: time, task, stream tag on stderr lines, text.
 * @param {{ t_ms: number, task: string, text: string, stream?: string | null }[]} lines
 * @param {string} label the list's accessible name
 */
export function outputList(lines, label) {
  return el(
    'ol',
    { class: 'output', 'aria-label': label },
    lines.map((line) =>
      el(
        'li',
        { class: isStderr(line) ? 'stderr' : null },
        el('span', { class: 'time' }, formatMs(line.t_ms).padStart(8)),
        el('span', { class: 'task' }, line.task),
        isStderr(line) ? el('span', { class: 'stream', title: 'printed to standard error' }, 'stderr') : null,
        el('span', { class: 'text' }, line.text),
      ),
    ),
  );
}

/**
 * How many of the lines went to stderr, in words for a list's heading (`, 3 on stderr`), or ''.
 * @param {{ stream?: string | null }[]} lines
 */
export function stderrCount(lines) {
  const n = lines.filter(isStderr).length;
  return n ? `, ${n} on stderr` : '';
}
