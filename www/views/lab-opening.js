// @ts-check
/**
 * What the Lab opens with, and the examples it can load: a link's program (`#code=` or `?code=`), else an
 * example the query asks for (`?example=`, `?twin=`), else the learner's kept program (lab-kept.js), else
 * the default example; the link's arguments (`?argv=`) over the example's. What a link asked for and could
 * not be given is said in `notices`, and the Lab opens with what it can.
 */
import { classic, DEFAULT_EXAMPLE, twinExample } from './lab-examples.js';
import { checkSource, codePayload, decodeCode, parseArgs } from './lab-link.js';

/** @typedef {import('./lab-examples.js').LabExample} LabExample */
/** @typedef {import('./lab-kept.js').KeptProgram} KeptProgram */
/** @typedef {(id: string) => Promise<LabExample | null>} ExampleById */

/** A failure's message, as the notices say it. @param {unknown} failure */
const reason = (failure) => /** @type {any} */ (failure)?.message ?? failure;

/**
 * The examples by id: a classic's id, or `twin:<scenario>` for a scenario's twin.py (its lesson loaded the
 * first time it is asked for, then remembered; null when there is no such scenario or it fails to load).
 * @param {{ catalogue: { id: string, title: string, variants: { id: string, title: string }[] }[],
 *   lessons: Record<string, () => Promise<any>> }} options
 * @returns {ExampleById}
 */
export function exampleFinder({ catalogue, lessons }) {
  /** @type {Map<string, LabExample | null>} */
  const twins = new Map();
  const twinOf = async (/** @type {string} */ id) => {
    if (twins.has(id)) return twins.get(id) ?? null;
    const scenario = catalogue.find((s) => s.id === id);
    const load = lessons[id];
    if (!scenario || !load) return null;
    const content = (await load()).default;
    const example = twinExample(scenario, content.python);
    twins.set(id, example);
    return example;
  };
  return async (id) => (id.startsWith('twin:') ? await twinOf(id.slice(5)).catch(() => null) : classic(id));
}

/**
 * The program the Lab opens with.
 * @param {{ query: ReturnType<typeof import('./lab-link.js').readLabQuery>, hash: string,
 *   exampleById: ExampleById, kept: () => KeptProgram | null }} options `hash`: `location.hash`;
 *   `kept`: reads the kept program (only when no example is asked for)
 * @returns {Promise<{ example: LabExample, source: string, argv: string[], fromLink: boolean,
 *   notices: string[] }>} `fromLink`: the program is the link's (not the example's)
 */
export async function openingProgram({ query, hash, exampleById, kept }) {
  /** Problems with what the link asked for, said above the editor. */
  const notices = [];
  let example = /** @type {LabExample} */ (classic(DEFAULT_EXAMPLE));
  let source = example.source;
  let argv = example.argv;
  let fromLink = false;
  if (query.twin || query.example) {
    const asked = await exampleById(query.twin ? `twin:${query.twin}` : String(query.example));
    if (asked) {
      example = asked;
      source = asked.source;
      argv = asked.argv;
    } else
      notices.push(
        `There is no example “${query.twin ?? query.example}”; showing “${example.title}” instead.`,
      );
  } else {
    const program = kept();
    if (program) {
      source = program.source;
      argv = program.argv;
      example = (await exampleById(program.example)) ?? example;
    }
  }
  const payload = codePayload(hash);
  const linked = payload !== null ? payload : query.code;
  if (linked !== null) {
    try {
      source = payload !== null ? await decodeCode(payload) : checkSource(linked);
      fromLink = true;
    } catch (failure) {
      notices.push(`The program in this link cannot be opened: ${reason(failure)}.`);
    }
  }
  if (query.argv !== null) {
    try {
      argv = parseArgs(query.argv);
    } catch (failure) {
      notices.push(`The link's arguments were not used: ${reason(failure)}.`);
    }
  }
  return { example, source, argv, fromLink, notices };
}
