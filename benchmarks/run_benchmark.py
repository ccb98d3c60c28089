"""Benchmark Reset Lab's set-up and notebook execution (a script, not a timed test).

Reports, on this machine:
  setup     fresh environment from requirements.lock (new venv, empty package cache, bytecode compiled as `make setup` does)
  make run  wall time of `make run` (validation + every notebook + figures)
  collection the collection through the runner, against
  floor     as many notebooks that only import the collection's libraries, same runner and jobs
  baseline  the notebooks one by one with `jupyter nbconvert --execute`
Targets (2-core machine): collection <= 2x floor; collection >= 1.8x faster than baseline.

Usage: python benchmarks/run_benchmark.py [--skip-setup] [--jobs N]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from resetlab import paths, runner

# The floor: a notebook that only imports what the chapters import (no data, no charts, no browser).
FLOOR_SOURCE = """
import pandas as pd
import matplotlib.pyplot as plt
import plotly.graph_objects as go
from IPython.display import Markdown, display
from resetlab import armscontrol, charts, claims, data, events, interactive, plotting, sanctions, trust
"""


def timed(func) -> tuple[float, object]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def fresh_setup(workdir: Path) -> float:
    venv, cache = workdir / "venv", workdir / "uv-cache"
    lock = paths.ROOT / "requirements.lock"

    def build():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([venv / "bin/python", "-m", "pip", "install", "-q", "uv==0.13.8"], check=True)
        env = dict(os.environ, UV_CACHE_DIR=str(cache))
        subprocess.run([venv / "bin/uv", "pip", "install", "-q", "--compile-bytecode", "--python", venv / "bin/python", "-r", lock], check=True, env=env)
        subprocess.run([venv / "bin/uv", "pip", "install", "-q", "--python", venv / "bin/python", "--no-deps", "-e", paths.ROOT], check=True, env=env)

    seconds, _ = timed(build)
    return seconds


def floor_notebooks(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"90.{i:02d}-Floor.ipynb"
        nbformat.write(nb, path)
        made.append(path)
    return made


def run_all(jobs: list, workers: int, out: Path) -> float:
    seconds, results = timed(lambda: runner.run(jobs, workers=workers, output_dir=out, figures_dest=out / "figures", echo=lambda _: None))
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"benchmark run failed: {failed[0].notebook}: {failed[0].error}")
    return seconds


def one_by_one(sources: list[Path], out: Path) -> float:
    jupyter = Path(sys.executable).parent / "jupyter"
    env = dict(os.environ, RESETLAB_FIGURES_DIR=str(out / "figures"))

    def execute():
        for source in sources:
            subprocess.run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", out, source], check=True, capture_output=True, env=env)

    seconds, _ = timed(execute)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-setup", action="store_true", help="skip the fresh set-up measurement")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    notebooks = runner.notebooks()
    report: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", "notebooks": len(notebooks), "jobs": args.jobs}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.skip_setup:
            report["setup_s"] = round(fresh_setup(tmp / "setup"), 1)
        report["make_run_s"] = round(timed(lambda: subprocess.run(["make", "-s", "run"], cwd=paths.ROOT, check=True, capture_output=True))[0], 1)
        floor = floor_notebooks(tmp / "floor", len(notebooks))
        report["floor_s"] = round(run_all([runner.Job(p, {}) for p in floor], args.jobs, tmp / "floor-out"), 1)
        report["collection_s"] = round(run_all([runner.Job(p, {}) for p in notebooks], args.jobs, tmp / "collection-out"), 1)
        report["baseline_s"] = round(one_by_one(notebooks, tmp / "baseline-out"), 1)
    report["collection_over_floor"] = round(report["collection_s"] / report["floor_s"], 2)
    report["speedup_over_baseline"] = round(report["baseline_s"] / report["collection_s"], 2)
    report["targets_met"] = report["collection_over_floor"] <= 2.0 and report["speedup_over_baseline"] >= 1.8
    out = paths.BUILD / "benchmark.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    width = max(map(len, report))
    for key, value in report.items():
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
