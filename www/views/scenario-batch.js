// @ts-check
/**
 * A scenario's batches of runs: the variants asked for run one after another with the same settings, one
 * batch at a time on the page's run control. Settings the core refuses are refused before anything starts,
 * with the core's own message; the runs shown stay.
 */
import { runBatch } from './run-control.js';

/**
 * What runs a batch of a scenario's variants, `(ids) => Promise<void>`: it does nothing while something
 * runs already. Before the runs, `lock(true)` locks the controls that would change them and `prepare` does
 * what must not happen during a run; `onTrace` gets each run's trace; however the batch ended, `lock(false)`
 * unlocks, `redraw` draws the runs so far and `onBatchEnd` follows, once they are drawn (a refused batch
 * ends at once).
 * @param {{ scenarioId: string, params: Record<string, unknown>,
 *   juggle: { estimate: (id: string, params: object) => number,
 *     run: (id: string, params: object, options: { signal: AbortSignal }) => Promise<object> },
 *   control: { busy: boolean, busyWith: (work: (signal: AbortSignal) => Promise<void>) => Promise<void> },
 *   panel: ReturnType<typeof import('./run-control.js').runPanel>, titleOf: (id: string) => string,
 *   lock: (locked: boolean) => void, prepare: () => Promise<void>,
 *   onTrace: (id: string, trace: any) => void, redraw: () => Promise<void>, onBatchEnd: () => void }} options
 * @returns {(ids: string[]) => Promise<void>}
 */
export function batchRunner({
  scenarioId,
  params,
  juggle,
  control,
  panel,
  titleOf,
  lock,
  prepare,
  onTrace,
  redraw,
  onBatchEnd,
}) {
  const knobsFor = (/** @type {string} */ id) => ({ ...params, variant: id });
  return (ids) => {
    if (control.busy) return Promise.resolve();
    for (const id of ids) {
      try {
        juggle.estimate(scenarioId, knobsFor(id));
      } catch (error) {
        panel.showError(
          `${/** @type {Error} */ (error).message} Nothing ran; the runs shown keep the settings they ran with.`,
        );
        onBatchEnd();
        return Promise.resolve();
      }
    }
    return control.busyWith(async (signal) => {
      // The variants of one batch run with the same settings.
      lock(true);
      await prepare();
      try {
        await runBatch({
          ids,
          signal,
          panel,
          titleOf,
          estimate: (id) => juggle.estimate(scenarioId, knobsFor(id)),
          run: (id, signal) => juggle.run(scenarioId, knobsFor(id), { signal }),
          onTrace,
        });
      } finally {
        lock(false);
        // However the batch ended (a run failed, it was cancelled), the runs so far and their replay
        // return; the batch has ended once they are drawn.
        await redraw();
        onBatchEnd();
      }
    });
  };
}
