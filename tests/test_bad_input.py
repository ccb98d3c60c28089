"""Every table x every class of bad input: refused with file, row and column, or loaded correctly.

Classes: wrong date, duplicate key, missing value, unknown source id, negative count, extra column,
truncated row, non-UTF-8 byte, empty file (refused); Windows line endings, byte-order mark (loaded,
with the same values). `validate` is checked on every case, in-process; `run` through the same
command-line entry point, in-process, with the kernel launcher replaced by a failure (refusal must
come first); and a few cases through a real `python -m resetlab run` process.
A class that cannot apply to a table (no date column, no count) is recorded as not applicable.
The README reports the resulting figure; `test_readme_reports_the_figure` keeps the two in step.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from resetlab import data, paths, runner
from resetlab.__main__ import main
from resetlab.validate import validate

DESCRIPTOR = data.descriptor()
RESOURCES = {res["name"]: res for res in DESCRIPTOR["resources"]}
REFUSED = ["wrong_date", "duplicate_key", "missing_value", "unknown_source_id", "negative_count",
           "extra_column", "truncated_row", "non_utf8_byte", "empty_file"]
LOADED = ["crlf", "bom"]
CLASSES = REFUSED + LOADED


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def fields(name: str) -> list[dict]:
    return RESOURCES[name]["schema"]["fields"]


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    rows = read(path)
    rows[row - 1][rows[0].index(column)] = value
    write(path, rows)


def corrupt(name: str, kind: str, folder: Path):
    """Apply `kind` to table `name` in `folder`; return the (row, columns) a refusal must name,
    None when the class does not apply, or "loads" for the classes that must load correctly."""
    res = RESOURCES[name]
    path = folder / res["path"]
    schema = res["schema"]
    if kind == "wrong_date":
        field = next((f for f in fields(name) if f["type"] == "date"), None)
        if field:
            set_cell(path, 2, field["name"], "2020-13-45")
            return 2, {field["name"]}
        field = next((f for f in fields(name) if f["name"] == "year"), None)
        if field:
            set_cell(path, 2, "year", "19x2")
            return 2, {"year"}
        return None
    if kind == "duplicate_key":
        rows = read(path)
        for key in schema["primaryKey"]:
            index = rows[0].index(key)
            rows[2][index] = rows[1][index]
        write(path, rows)
        return 3, set(schema["primaryKey"]) | {"+".join(schema["primaryKey"])}
    if kind == "missing_value":
        keys = set(schema["primaryKey"])
        required = [f["name"] for f in fields(name) if f.get("constraints", {}).get("required")]
        column = next((c for c in required if c not in keys), required[0])
        set_cell(path, 2, column, "")
        return 2, {column}
    if kind == "unknown_source_id":
        if "source_ids" in [f["name"] for f in fields(name)]:
            set_cell(path, 2, "source_ids", "no-such-source-zz")
            return 2, {"source_ids"}
        foreign = schema.get("foreignKeys", [])
        if foreign:  # a project table: its references are to other tables' ids
            column = foreign[0]["fields"][0]
            set_cell(path, 2, column, "9999" if "code" in column else "no-such-id-zz")
            return 2, {column}
        return None
    if kind == "negative_count":
        field = next((f for f in fields(name) if f["type"] in ("integer", "number")
                      and f.get("constraints", {}).get("minimum", -1) >= 0 and f["name"] != "year"), None)
        if field is None:
            return None
        set_cell(path, 2, field["name"], "-3")
        return 2, {field["name"]}
    if kind == "extra_column":
        rows = read(path)
        write(path, [rows[0] + ["surplus"]] + [r + ["x"] for r in rows[1:]])
        return 1, {"surplus"}
    if kind == "truncated_row":
        rows = read(path)
        keep = max(1, len(rows[2]) // 2)
        rows[2] = rows[2][:keep]
        write(path, rows)
        return 3, {rows[0][keep]}
    if kind == "non_utf8_byte":
        rows = read(path)
        rows[1][1] = rows[1][1] + "\udcff"  # a lone 0xff byte once written with surrogateescape
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_bytes(buffer.getvalue().encode("utf-8", "surrogateescape"))
        return 2, {rows[0][1]}
    if kind == "empty_file":
        path.write_bytes(b"")
        return None, {None}
    if kind == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        return "loads"
    if kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return "loads"
    raise ValueError(kind)


def end_cut(name: str, folder: Path):
    """The other way a row is truncated: the file ends inside its last row (no final newline)."""
    path = folder / RESOURCES[name]["path"]
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 1 - max(1, len(raw.rstrip(b"\n").rsplit(b"\n", 1)[-1]) // 3)])
    return len(read(path)), None


CASES = [(name, kind) for name in RESOURCES for kind in CLASSES]
OUTCOMES: dict[tuple[str, str], str] = {}


@pytest.fixture
def refuse_kernels(monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel would have started on bad data")

    monkeypatch.setattr(runner, "run", no_kernel)


@pytest.mark.parametrize("name, kind", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_bad_input(name, kind, tmp_path, monkeypatch, capsys, refuse_kernels):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)
    expected = corrupt(name, kind, folder)
    file = RESOURCES[name]["path"]
    if expected is None:
        OUTCOMES[name, kind] = "not applicable"
        pytest.skip(f"{kind} does not apply to {file}")
    problems = validate(folder)
    if expected == "loads":
        assert problems == [], [str(p) for p in problems]
        pd.testing.assert_frame_equal(data.load(name, folder), data.load(name))
        OUTCOMES[name, kind] = "loaded"
        return
    row, columns = expected
    blamed = {(p.file, p.row, p.column) for p in problems}
    assert any(f == file and r == row and c in columns for f, r, c in blamed), (expected, [str(p) for p in problems])
    if kind in ("non_utf8_byte", "empty_file", "extra_column", "truncated_row"):
        assert {p.file for p in problems} == {file}, [str(p) for p in problems]
    # `run` refuses the same data before any kernel starts, naming file, row and column.
    monkeypatch.setattr(paths, "DATA", folder)
    assert main(["run", "00.00", "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    where = file + (f", row {row}" if row else "")
    assert any(line.startswith(f"error: {where}") for line in err.splitlines()), err
    assert "nothing was run" in err
    OUTCOMES[name, kind] = "refused"


@pytest.mark.parametrize("name", list(RESOURCES))
def test_file_cut_inside_its_last_row_is_refused(name, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)
    row, _ = end_cut(name, folder)
    problems = validate(folder)
    assert any(p.file == RESOURCES[name]["path"] and p.row == row and p.column for p in problems), [str(p) for p in problems]


def test_new_start_row_cut_inside_the_unquoted_note_is_refused(tmp_path):
    """The case that once passed: a row cut short inside its unquoted last column."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)
    path = folder / "new_start_exchanges.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n")[:-3])
    assert any("no newline at the end" in str(p) for p in validate(folder))


def scratch_project(tmp_path: Path, corrupt_with) -> Path:
    root = tmp_path / "project"
    shutil.copytree(paths.DATA, root / "data")
    corrupt_with(root / "data")
    (root / "notebooks").mkdir()
    (root / "figures").mkdir()
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "load", "metadata": {}, "outputs": [],
                     "source": "from resetlab import data\nprint({n: len(data.load(n)) for n in data.resource_names()})"}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / "notebooks" / "90.00-Load.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return root


def cli_run(root: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "RESETLAB_FIGURES_DIR"}
    env["RESETLAB_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "resetlab", "run", "--jobs", "1"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("name, kind", [("new_start_exchanges", "negative_count"), ("sources", "non_utf8_byte")])
def test_cli_run_refuses_bad_data_before_any_kernel(name, kind, tmp_path):
    root = scratch_project(tmp_path, lambda folder: corrupt(name, kind, folder))
    done = cli_run(root)
    assert done.returncode == 2, done.stderr
    assert f"error: {RESOURCES[name]['path']}, row " in done.stderr and ", column " in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "build" / "notebooks").exists()


def test_cli_run_loads_crlf_and_bom_tables(tmp_path):
    def both(folder):
        corrupt("events", "crlf", folder)
        corrupt("sources", "bom", folder)
        corrupt("treaties", "crlf", folder)
        corrupt("treaties", "bom", folder)

    root = scratch_project(tmp_path, both)
    done = cli_run(root)
    assert done.returncode == 0, done.stderr
    printed = (root / "build" / "notebooks" / "90.00-Load.ipynb").read_text(encoding="utf-8")
    counts = {n: len(data.load(n)) for n in data.resource_names()}
    assert str(counts).replace("'", '\\"') in printed or json.dumps(str(counts))[1:-1] in printed


def summary() -> Counter:
    return Counter(OUTCOMES.values())


FIGURE = re.compile(r"(\d+) table x class cases: (\d+) refused, (\d+) loaded correctly, (\d+) not applicable")


def test_readme_reports_the_figure():
    """Recomputes the matrix (cheap parts only: which cases apply) and checks the README's figure."""
    import tempfile

    outcomes = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind in CASES:
            folder = Path(tmp) / f"{name}-{kind}"
            shutil.copytree(paths.DATA, folder)
            expected = corrupt(name, kind, folder)
            outcomes["not applicable" if expected is None else "loaded" if expected == "loads" else "refused"] += 1
    match = FIGURE.search((paths.ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README states no bad-input figure"
    assert tuple(map(int, match.groups())) == (len(CASES), outcomes["refused"], outcomes["loaded"], outcomes["not applicable"])
