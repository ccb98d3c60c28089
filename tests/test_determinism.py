"""A fresh execution reproduces the committed notebooks and figures byte for byte.

This is what keeps `make run` from dirtying the work tree, and it fails when the committed
notebooks are stale (run `make refresh` after changing data or code).
"""
from pathlib import Path

import pytest

from resetlab import paths, runner


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("notebooks")
    figures = tmp_path_factory.mktemp("figures")
    results = runner.run([runner.Job(p, {}) for p in runner.notebooks()], output_dir=out, figures_dest=figures, echo=lambda _: None)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return out, figures


@pytest.mark.parametrize("name", [p.name for p in runner.notebooks()])
def test_committed_notebook_equals_a_fresh_run(fresh, name):
    out, _ = fresh
    assert (out / name).read_bytes() == (paths.NOTEBOOKS / name).read_bytes(), f"{name} is stale: run `make refresh`"


def test_committed_figures_equal_a_fresh_run(fresh):
    _, figures = fresh
    produced = sorted(p.name for p in figures.iterdir())
    committed = sorted(p.name for p in paths.FIGURES.iterdir())
    assert produced == committed
    for name in produced:
        assert (figures / name).read_bytes() == (paths.FIGURES / name).read_bytes(), name


def test_no_volatile_metadata_in_committed_notebooks():
    for path in runner.notebooks():
        text = path.read_text(encoding="utf-8")
        for volatile in ('"start_time"', '"duration"', '"iopub.status', "\"version\": \"3.11", str(paths.ROOT), "PosixPath"):
            assert volatile not in text, (path.name, volatile)


def test_committed_notebooks_carry_no_warnings_or_errors():
    """As in QuantEcon's lectures: a warning printed by a notebook is a failure."""
    import nbformat

    for path in runner.notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", (path.name, cell.get("id"))
                assert not (output["output_type"] == "stream" and output["name"] == "stderr"), (path.name, cell.get("id"), output["text"][:200])
