"""Runs a twin under VizTracer (CPython, one track per asyncio task) and prints each task's steps as JSON.

    python bench/viztracer_steps.py crate/src/scenarios/count/twin.py async

A step is one slice of a task's own coroutine on its track (VizTracer logs each resume of a coroutine as an
event of its own with --log_async). The output, `[{"coroutine": name, "steps": [[start_ms, end_ms], ...]}]`
in the order of each task's first step, is what `npm run bench` sets beside the browser's tracer.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> None:
    twin, *argv = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "trace.json"
        subprocess.run(
            [sys.executable, "-m", "viztracer", "--quiet", "--log_async", "--ignore_c_function", "-o", str(out), twin, *argv],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        events = json.loads(out.read_text())["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"}
    tasks = {}
    for event in events:
        if event.get("ph") != "X" or not names.get(event["tid"], "").startswith("Task-"):
            continue
        # A task's own coroutine: the events whose function is defined in the twin itself.
        name, _, where = event["name"].partition(" (")
        if not where.startswith(str(Path(twin).resolve())) and not where.startswith(twin):
            continue
        tasks.setdefault(event["tid"], {}).setdefault(name, []).append(event)
    rows = []
    for by_name in tasks.values():
        # The outermost coroutine of the track: the one whose events start first.
        name, steps = min(by_name.items(), key=lambda item: min(e["ts"] for e in item[1]))
        steps.sort(key=lambda e: e["ts"])
        rows.append({"coroutine": name, "steps": [[e["ts"] / 1000, (e["ts"] + e["dur"]) / 1000] for e in steps]})
    rows.sort(key=lambda row: row["steps"][0][0])
    origin = rows[0]["steps"][0][0] if rows else 0
    for row in rows:
        row["steps"] = [[start - origin, end - origin] for start, end in row["steps"]]
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
