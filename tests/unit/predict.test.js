// Prediction verdicts (www/views/predict.js) judged from small traces, and the judgements of trace-facts.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { judgeTimes, outputPatterns, pace, predictionResults } = await import('../../www/views/predict.js');
const { amdahlCeiling, canRun, froze, heartbeatDefinition, simulatedLabels } = await import(
  '../../www/views/trace-facts.js'
);

/**
 * A trace with only what the verdicts read; `frozen` as the core would have judged a gap this long, and
 * `why` standing for the core's sentences (crate/src/explain.rs, tested natively).
 */
const trace = ({ total = 1000, gap = 10, texts = [], result = null } = {}) => ({
  total_ms: total,
  output: texts.map((text, i) => ({ t_ms: i, task: 't', text })),
  spans: [],
  heartbeat: { max_gap_ms: gap, interval_ms: 10, frozen_threshold_ms: 250, frozen: gap >= 250 },
  result,
  why: { time: `Core says where ${total} ms went.`, health: `Core says why a ${gap} ms gap.` },
});
const variants = [
  { id: 'sync', title: 'Sync' },
  { id: 'async', title: 'Async' },
];
const verdicts = (element) =>
  element.byClass('verdict').map((li) => ({
    ok: li.className.includes('verdict-ok'),
    miss: li.className.includes('verdict-miss'),
    text: li.textContent,
  }));

test('trace-facts.js reads the judgements the core made, and computes none', () => {
  // The same gap is frozen or not as the core said, whatever its length: the page never re-derives it.
  const long = trace({ gap: 1000 });
  assert.equal(froze(long), true);
  long.heartbeat.frozen = false;
  assert.equal(froze(long), false);
  assert.match(
    heartbeatDefinition({ interval_ms: 10, frozen_threshold_ms: 250 }),
    /within one period \(10 ms\).*250 ms or more/,
  );
  assert.equal(canRun({ available: false, placement: 'pool' }), false);
  assert.equal(canRun({ available: true, placement: 'shared-memory' }), true);
  const spans = [
    { label: 'fetch (simulated)', simulated: true },
    { label: 'parse (simulated)', simulated: false },
    { label: 'fetch (simulated)', simulated: true },
  ];
  assert.deepEqual(simulatedLabels({ spans }), ['fetch (simulated)']);
  assert.equal(amdahlCeiling({ amdahl_ceiling: 2 }), 2);
  assert.equal(amdahlCeiling({ amdahl_ceiling: null }), null);
});

test('outputPatterns: alternating, grouped, or both for short output', () => {
  assert.deepEqual([...outputPatterns(trace({ texts: ['One', 'Two', 'One', 'Two'] }))], ['alternating']);
  assert.deepEqual([...outputPatterns(trace({ texts: ['One', 'One', 'Two', 'Two'] }))], ['grouped']);
  assert.deepEqual([...outputPatterns(trace({ texts: ['One', 'Two'] }))].sort(), ['alternating', 'grouped']);
});

test('nothing ran: no verdicts at all', () => {
  assert.equal(
    predictionResults([{ kind: 'fastest', prompt: '?' }], variants, { q0: 'sync' }, new Map()),
    null,
  );
});

test('time: the comparison decides, the 25% tolerance is reported (#29)', () => {
  const traces = new Map([
    ['sync', trace({ total: 3000 })],
    ['async', trace({ total: 1000 })],
  ]);
  // 3 s for both: right for Sync alone, but it says awaiting does not help, which is the lesson.
  const answers = { 'q0-sync': 3, 'q0-async': 3 };
  const [sync, async] = verdicts(
    predictionResults([{ kind: 'time', prompt: '?' }], variants, answers, traces),
  );
  assert.equal(sync.miss, true);
  assert.match(sync.text, /within 25%/);
  assert.match(
    sync.text,
    /You said it would take about as long as Async \(1\.00×\); it took longer than it \(3\.00×\)/,
  );
  assert.equal(async.miss, true);
  assert.match(async.text, /3\.0× shorter/);
});

test('time: the issue’s bounded queue, within 25% but thought slower, is not a tick', () => {
  const queue = [
    { id: 'bounded', title: 'Bounded queue' },
    { id: 'unbounded', title: 'Unbounded queue' },
  ];
  const traces = new Map([
    ['bounded', trace({ total: 1050 })],
    ['unbounded', trace({ total: 1040 })],
  ]);
  const answers = { 'q0-bounded': 1.2, 'q0-unbounded': 0.8 };
  const [bounded, unbounded] = verdicts(
    predictionResults([{ kind: 'time', prompt: '?' }], queue, answers, traces),
  );
  assert.equal(bounded.miss, true);
  assert.match(bounded.text, /Bounded queue: you said 1\.2 s; it took 1\.05 s \(within 25%\)\./);
  assert.match(bounded.text, /longer than Unbounded queue \(1\.50×\); it took about as long as it/);
  assert.equal(unbounded.miss, true);
});

test('time: a right comparison with times far off is a tick that says so; one time alone is judged by 25%', () => {
  const traces = new Map([
    ['sync', trace({ total: 3000 })],
    ['async', trace({ total: 1000 })],
  ]);
  const time = [{ kind: 'time', prompt: '?' }];
  const [sync, async] = verdicts(
    predictionResults(time, variants, { 'q0-sync': 30, 'q0-async': 10 }, traces),
  );
  assert.equal(sync.ok, true);
  assert.equal(async.ok, true);
  assert.match(sync.text, /10\.0× shorter\)\. Your comparison with Async is right/);
  const [alone] = verdicts(predictionResults(time, variants, { 'q0-async': 1.1 }, traces));
  assert.equal(alone.ok, true);
  const [far] = verdicts(predictionResults(time, variants, { 'q0-async': 3 }, traces));
  assert.equal(far.miss, true);
});

test('pace and judgeTimes: longer, shorter, about as long', () => {
  assert.equal(pace(3, 1), 'longer');
  assert.equal(pace(1, 3), 'shorter');
  assert.equal(pace(1.05, 1.04), 'same');
  assert.equal(pace(1.2, 1), 'same');
  const rows = judgeTimes([
    { id: 'a', title: 'A', said: 1, measured: 1 },
    { id: 'b', title: 'B', said: 1, measured: 2 },
    { id: 'c', title: 'C', said: 2, measured: 2 },
  ]);
  assert.deepEqual(
    rows.map((row) => row.ok),
    [false, false, false],
  );
});

test('fastest: waits for every variant, then names the fastest', () => {
  const questions = [{ kind: 'fastest', prompt: '?' }];
  const one = predictionResults(questions, variants, { q0: 'async' }, new Map([['sync', trace()]]));
  assert.match(one.textContent, /Run Async to check this/);
  const both = new Map([
    ['sync', trace({ total: 3000 })],
    ['async', trace({ total: 1000 })],
  ]);
  const [verdict] = verdicts(predictionResults(questions, variants, { q0: 'async' }, both));
  assert.equal(verdict.ok, true);
  assert.match(verdict.text, /the fastest was Async/);
});

test('stalls: judged by froze, "none" is an answer', () => {
  const traces = new Map([
    ['sync', trace({ total: 3000, gap: 3000 })],
    ['async', trace({ total: 1000, gap: 12 })],
  ]);
  const questions = [{ kind: 'stalls', prompt: '?' }];
  const right = verdicts(predictionResults(questions, variants, { q0: ['sync'] }, traces));
  assert.deepEqual(
    right.map((v) => v.ok),
    [true, true],
  );
  assert.match(right[0].text, /the health check froze/);
  assert.match(right[1].text, /kept answering/);
  const none = verdicts(predictionResults(questions, variants, { q0: [] }, traces));
  assert.deepEqual(
    none.map((v) => v.ok),
    [false, true],
  );
});

test('lost, output and speedup questions', () => {
  const race = [
    { id: 'await-race', title: 'Race' },
    { id: 'atomic', title: 'Atomic' },
  ];
  const traces = new Map([
    ['await-race', trace({ result: { lost: 5, expected: 10, final: 5 } })],
    ['atomic', trace({ result: { lost: 0, expected: 10, final: 10 } })],
  ]);
  const lost = verdicts(predictionResults([{ kind: 'lost', prompt: '?' }], race, { q0: ['atomic'] }, traces));
  assert.deepEqual(
    lost.map((v) => v.ok),
    [false, false],
  );
  assert.match(lost[0].text, /5 of 10 updates were lost/);

  const output = [
    {
      kind: 'output',
      prompt: '?',
      variant: 'async',
      choices: [{ pattern: 'grouped', text: 'One One Two Two' }],
    },
  ];
  const printed = new Map([['async', trace({ texts: ['One', 'One', 'Two', 'Two'] })]]);
  const [fits] = verdicts(predictionResults(output, variants, { q0: 'grouped' }, printed));
  assert.equal(fits.ok, true);
  assert.doesNotMatch(fits.text, /the order you said/);
  // Other settings print other lines: the order is what was judged, and the verdict says so.
  const fewer = new Map([['async', trace({ texts: ['One', 'Two'] })]]);
  const three = [{ ...output[0], choices: [{ pattern: 'grouped', text: 'One One One Two Two Two' }] }];
  const [same] = verdicts(predictionResults(three, variants, { q0: 'grouped' }, printed));
  assert.equal(same.ok, true);
  assert.match(
    same.text,
    /it printed “One One Two Two”: the order you said \(each task's lines together\)\./,
  );
  assert.equal(verdicts(predictionResults(three, variants, { q0: 'grouped' }, fewer))[0].ok, true);

  const speedup = [{ kind: 'speedup', prompt: '?', variant: 'async' }];
  const runs = new Map([
    [
      'async',
      trace({
        result: {
          runs: [
            { threads: 1, speedup: 1 },
            { threads: 2, speedup: 1.9 },
          ],
        },
      }),
    ],
  ]);
  const [close] = verdicts(predictionResults(speedup, variants, { q0: 2 }, runs));
  assert.equal(close.ok, true);
  assert.match(close.text, /on 2 threads it ran 1\.90× faster/);
});

test('a speedup below 1 is called slower, and a miss says why and links to the chart', () => {
  const speedup = [{ kind: 'speedup', prompt: '?', variant: 'async' }];
  const runs = new Map([
    [
      'async',
      trace({
        result: {
          runs: [
            { threads: 1, speedup: 1 },
            { threads: 2, speedup: 0.85 },
          ],
        },
      }),
    ],
  ]);
  const [miss] = verdicts(predictionResults(speedup, variants, { q0: 2 }, runs));
  assert.equal(miss.ok, false);
  assert.match(miss.text, /on 2 threads it ran slower than on one \(0\.85×/);
  assert.doesNotMatch(miss.text, /0\.85× faster/);
  assert.match(miss.text, /Why: Core says where 1000 ms went\./);
  assert.match(miss.text, /See its chart/);
});

test('a miss gives the core’s sentence for its question: time for times, health for stalls', () => {
  const stalls = [{ kind: 'stalls', prompt: '?' }];
  const runs = new Map([
    ['sync', trace({ total: 3000, gap: 3000 })],
    ['async', trace({ total: 1000, gap: 10 })],
  ]);
  const [sync, async] = verdicts(predictionResults(stalls, variants, { q0: ['async'] }, runs));
  assert.equal(sync.miss, true);
  assert.match(sync.text, /Why: Core says why a 3000 ms gap\./);
  assert.equal(async.miss, true);
  assert.match(async.text, /Why: Core says why a 10 ms gap\./);
  const fastest = [{ kind: 'fastest', prompt: '?' }];
  const [wrong] = verdicts(predictionResults(fastest, variants, { q0: 'sync' }, runs));
  assert.match(wrong.text, /Sync took 3\.00 s\. Core says where 3000 ms went\./);
});

test('a time verdict keeps one unit: the seconds the learner typed', () => {
  const time = [{ kind: 'time', prompt: '?' }];
  const runs = new Map([['sync', trace({ total: 522 })]]);
  const [miss] = verdicts(predictionResults(time, variants, { 'q0-sync': 0.1 }, runs));
  assert.match(miss.text, /you said 0\.1 s; it took 0\.52 s/);
  assert.doesNotMatch(miss.text, /ms \(/);
});

test('the final count is a number per variant, judged against the run', () => {
  const count = [{ kind: 'count', prompt: 'What is the final count?' }];
  const runs = new Map([
    ['sync', trace({ result: { expected: 4000, final: 1000, lost: 3000 } })],
    ['async', trace({ result: { expected: 4000, final: 4000, lost: 0 } })],
  ]);
  const [sync, exact] = verdicts(
    predictionResults(count, variants, { 'q0-sync': 4000, 'q0-async': 4000 }, runs),
  );
  assert.equal(sync.ok, false);
  assert.match(sync.text, /you said 4000; the final count was 1000 of 4000 \(3000 updates lost\)/);
  assert.equal(exact.ok, true);
});

test('a trace opened from outside without the figures a question reads gets no verdict, and no crash', () => {
  // recorded.rs accepts a scenario's result as null or without its runs: such a trace is judged on nothing.
  const speedup = [{ kind: 'speedup', prompt: '?', variant: 'async' }];
  for (const result of [null, {}, { runs: [] }, { runs: [{ threads: 2 }] }]) {
    const shown = predictionResults(speedup, variants, { q0: 2 }, new Map([['async', trace({ result })]]));
    assert.deepEqual(verdicts(shown), [], JSON.stringify(result));
  }
  const count = [{ kind: 'count', prompt: '?' }];
  const partial = new Map([['sync', trace({ result: { final: 10 } })]]);
  assert.deepEqual(verdicts(predictionResults(count, variants, { 'q0-sync': 10 }, partial)), []);
});

test('nobody is told they ran it without predicting when every run shown was recorded elsewhere', () => {
  const count = [{ kind: 'count', prompt: '?' }];
  const runs = new Map([['sync', trace({ result: { expected: 4000, final: 1000, lost: 3000 } })]]);
  assert.match(predictionResults(count, variants, {}, runs).textContent, /You ran it without predicting/);
  assert.equal(predictionResults(count, variants, {}, runs, { ranHere: false }), null);
  // Answers given before a recorded run was opened are still set beside it.
  const judged = predictionResults(count, variants, { 'q0-sync': 1000 }, runs, { ranHere: false });
  assert.equal(verdicts(judged)[0].ok, true);
});
