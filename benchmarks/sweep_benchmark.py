"""Time the claims' sensitivity grid in process (a script, not a timed test).

Loads the data package once, then re-judges every claim over the whole grid (claims.DIMENSIONS)
with two worker processes, as the scorecard does. Target: under 60 seconds on a 2-core machine.

Usage: python benchmarks/sweep_benchmark.py [--workers N]
"""
from __future__ import annotations

import argparse
import os
import platform
import time

from resetlab import claims, data

TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    tables = {name: data.load(name) for name in data.resource_names()}
    ledger = claims.load_ledger()
    loaded = time.perf_counter()
    evidence = claims.Evidence(claims.Settings(), tables)
    result = claims.sweep(claims.Settings(), ledger, evidence, workers=args.workers)
    done = time.perf_counter()
    grid = len(claims.grid())
    robust = sum(r["robust"] for r in result.values())
    print(f"machine      {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"grid         {grid:,} settings x {len(ledger)} claims = {grid * len(ledger):,} verdicts")
    print(f"load         {loaded - started:6.1f} s (data package and ledger)")
    print(f"sweep        {done - loaded:6.1f} s with {args.workers} worker(s)")
    print(f"total        {done - started:6.1f} s (target under {TARGET_SECONDS:.0f} s)")
    print(f"robust       {robust} of {len(result)} verdicts")
    return 0 if done - started < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
