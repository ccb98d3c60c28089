"""Wall time of `make test` (a script, not a timed test): target at most 180 s on 2 cores.

Other processes share the cores, so the script records the load average before and after and the
CPU time the test processes used; a figure taken under load says so.

Usage: python benchmarks/make_test_time.py [--jobs N]   (writes build/benchmark-make-test.json)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 180


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    load_before = os.getloadavg()
    env = dict(os.environ, PYTEST_ADDOPTS="--durations=15")
    started = time.perf_counter()
    done = subprocess.run(["make", "-s", "test", f"JOBS={args.jobs}"], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = done.stdout.strip().splitlines()
    slowest = [line for line in lines if " call " in line or " setup " in line][:15]
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "jobs": args.jobs,
        "make_test_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "exit_code": done.returncode,
        "summary": lines[-1] if lines else "",
        "target_s": TARGET_S,
        "target_met": done.returncode == 0 and wall <= TARGET_S,
        "slowest": slowest,
    }
    out = ROOT / "build" / "benchmark-make-test.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for key, value in report.items():
        if key != "slowest":
            print(f"{key:<12} {value}")
    print("slowest:")
    for line in slowest:
        print(f"  {line}")
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-2000:], file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
