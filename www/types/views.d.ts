// What the page's views (www/views/) read that no generated file declares: the API object as createJuggle
// makes it, the built content they lay out (scripts/content-plugin.js: a scenario's predict.json, the start
// view's quiz.json) and the learner's answers. A trace's own types are the ones wasm-bindgen writes from
// the Rust serde types (www/pkg-st/juggle.d.ts).
import type { createJuggle } from '../juggle.js';
import type { Gap, Heartbeat, Trace, Why } from '../pkg-st/juggle.js';

/** `window.juggle`: the API object `createJuggle` (www/juggle.js) resolves to. */
export type Juggle = Awaited<ReturnType<typeof createJuggle>>;

/**
 * A trace as the core hands it to the page: a run's, a Python run's, or a recorded one it reviewed. The
 * trace format leaves `why` and the heartbeat's judgements optional for a trace read from outside (serde's
 * `default`), but the core always writes them, by its own definitions (crate/src/trace.rs, heartbeat.rs,
 * explain.rs): a recorded trace's are computed again, never taken from it.
 */
export type ShownTrace = Trace & {
  why: Why;
  heartbeat: Heartbeat & { frozen_threshold_ms: number; frozen_gaps: Gap[]; frozen: boolean };
};

/**
 * A value a `catch` caught, read as the Error the API rejects with: its `message`, its `code` (`cancelled`,
 * `panicked`, `python-error`, ...) and, for a Python exception, the `trace` up to it. Anything can be
 * thrown, so each field may be missing, and the value is read with `?.`.
 */
export type Thrown = { message?: string; code?: string; trace?: ShownTrace } | null | undefined;

/** The printed orders an `output` question offers (`outputPatterns` in www/views/predict.js). */
export type OutputPattern = 'alternating' | 'grouped';

/**
 * A prediction question (a scenario's predict.json, checked by scripts/content-plugin.js's
 * `checkQuestions`): `output` and `speedup` questions are about one `variant`, which they must name.
 */
export type PredictQuestion =
  | { kind: 'output'; prompt: string; variant: string; choices: { pattern: OutputPattern; text: string }[] }
  | { kind: 'speedup'; prompt: string; variant: string }
  | { kind: 'time' | 'fastest' | 'stalls' | 'lost' | 'count'; prompt: string; variant?: string };

/**
 * The learner's answers to a scenario's questions, kept across re-renders: by field name (`q0`, or
 * `q0-<variant>` for a question with a field per variant), a picked variant or pattern (a radio), the
 * variants ticked (checkboxes; `[]` for "none of them") or a number; `undefined` once cleared.
 */
export type Answers = Record<string, string | string[] | number | undefined>;

/** One answer of the start view's quiz (www/content/quiz.json). */
export interface QuizChoice {
  text: string;
  /** Whether it is the right answer (left out on the wrong ones). */
  correct?: boolean;
  /** What picking it says; a `scenario → Variant title` in it becomes a link. */
  feedback: string;
}

/** The start view's quiz (www/content/quiz.json). */
export interface Quiz {
  title: string;
  questions: { id: string; prompt: string; choices: QuizChoice[] }[];
}

/** The start view's content (virtual:juggle-content's `start`): start.md's sections and the quiz. */
export interface StartContent {
  sections: { id: string; title: string; html: string }[];
  quiz: Quiz;
}
