// @ts-check
/**
 * The Lab's arguments (sys.argv[1:]): a box to type them in (`#lab-argv`), or, in a read-only embed, the
 * command line it runs as, said once (no box to change them). The box is there either way: what it holds
 * is what the program runs with.
 */
import { el } from '../dom.js';
import { parseArgs } from './lab-link.js';

/** The file name tracebacks use, and the command line names. */
export const FILENAME = 'main.py';

/**
 * The command line a program runs as: `python main.py a b`.
 * @param {string[]} args
 */
export const commandLine = (args) => `python ${FILENAME}${args.length ? ` ${args.join(' ')}` : ''}`;

/**
 * @param {{ argv: string[], readonly: boolean, fixed: boolean, onInput: () => void }} options `argv`: the
 *   arguments at first; `readonly`: the box cannot be changed; `fixed`: no box, the command line instead
 *   (nothing when there are no arguments); `onInput`: the learner changed them
 * @returns {{ element: HTMLElement | null, parsed: () => string[], args: () => string[],
 *   update: (argv: string[]) => void }} `parsed()`: the arguments, or throws saying what is wrong with
 *   them; `args()`: the same, or none when they are wrong; `update(argv)`: puts `argv` in the box
 */
export function argumentsRow({ argv, readonly, fixed, onInput }) {
  const field = /** @type {HTMLInputElement} */ (
    el('input', {
      type: 'text',
      id: 'lab-argv',
      class: 'lab-argv',
      spellcheck: 'false',
      autocomplete: 'off',
      readonly: readonly || null,
      'aria-describedby': 'lab-argv-hint',
      oninput: onInput,
    })
  );
  const update = (/** @type {string[]} */ next) => {
    field.value = next.join(' ');
  };
  update(argv);
  const parsed = () => parseArgs(field.value);
  const element = fixed
    ? argv.length
      ? el('p', { class: 'hint lab-args-fixed' }, `Runs as: ${commandLine(argv)}`)
      : null
    : el(
        'div',
        { class: 'lab-args' },
        el('label', { for: 'lab-argv' }, 'Arguments (sys.argv[1:])'),
        field,
        el(
          'span',
          { class: 'hint', id: 'lab-argv-hint' },
          'separated by spaces; a twin takes a variant’s name',
        ),
      );
  return {
    element,
    parsed,
    args() {
      try {
        return parsed();
      } catch {
        return [];
      }
    },
    update,
  };
}
