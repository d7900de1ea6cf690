// @ts-check
/**
 * The Predict step's body: the questions to answer before running (predict.js's form, which keeps the
 * answers in the session). In an embed it is folded (opened to answer), so that Run sits in the first
 * screen of a frame 600 px tall, the height course platforms give a script-less iframe.
 */
import { el } from '../dom.js';
import { predictionForm } from './predict.js';

/**
 * The Predict step's body: a hint and the questions, folded under a summary counting them in an embed.
 * @param {{ questions: import('../types/views.js').PredictQuestion[], variants: any[],
 *   answers: import('../types/views.js').Answers, embed: boolean }} options
 * @returns {HTMLElement[]}
 */
export function predictStep({ questions, variants, answers, embed }) {
  const body = [
    el('p', { class: 'hint' }, 'Answer before you run: the runs below will check each answer.'),
    predictionForm(questions, variants, answers),
  ];
  if (!embed) return body;
  const count = questions.length;
  return [
    el(
      'details',
      { class: 'predict-fold' },
      el('summary', {}, `Predict before you run: ${count} ${count === 1 ? 'question' : 'questions'}`),
      ...body,
    ),
  ];
}
