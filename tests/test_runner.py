from pathlib import Path

import nbformat
import pytest

from resetlab import runner
from resetlab.__main__ import main

PARAMETERS = '''start_year = 2000  # first year [1990..2030]
end_year = 2010  # last year [1990..2030]
fail = False  # raise on purpose
label = "x"  # a label {x|y}'''
BODY = '''from resetlab.plotting import figures_dir
if fail:
    raise RuntimeError("failing on purpose")
(figures_dir() / "years.txt").write_text(f"{start_year}-{end_year}")
print(label, start_year, end_year)'''


@pytest.fixture
def tiny(tmp_path: Path, request) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny"), cell, nbformat.v4.new_code_cell(BODY)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "notebooks" / f"99.{abs(hash(request.node.name)) % 100:02d}-Tiny.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


def test_declared_parameters_are_read_with_limits(tiny):
    declared = runner.declared_parameters(tiny)
    assert list(declared) == ["start_year", "end_year", "fail", "label"]
    assert declared["start_year"].default == 2000 and declared["start_year"].low == 1990
    assert declared["label"].choices == ("x", "y")
    assert declared["fail"].help == "raise on purpose"


@pytest.mark.parametrize(
    "args, message",
    [
        (["-p", "start_yaer", "2001"], "unknown parameter 'start_yaer'"),
        (["-p", "start_year", "soon"], "takes int"),
        (["-p", "start_year", "2012"], "comes after"),
        (["-p", "end_year", "2050"], "must lie in"),
        (["-p", "label", "z"], "must be one of"),
    ],
)
def test_bad_parameters_are_refused_before_any_kernel_starts(tiny, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    code = main(["run", str(tiny), "--output-dir", str(out), *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_parameter_file_is_read(tiny, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("start_year: 1995\nlabel: y\n")
    jobs = runner.plan([tiny], {"start_year": "1995", "label": "y"})
    assert jobs == [runner.Job(tiny, {"start_year": 1995, "label": "y"})]
    assert main(["run", str(tiny), "-f", str(params), "-p", "start_year", "2020"]) == 2  # 2020 > end_year


def test_override_changes_output_and_is_recorded(tiny, tmp_path):
    out, figs = tmp_path / "out", tmp_path / "figs"
    results = runner.run([runner.Job(tiny, {"start_year": 2005})], workers=1, output_dir=out, figures_dest=figs, echo=lambda _: None)
    assert results[0].ok, results[0].error
    nb = nbformat.read(out / tiny.name, as_version=4)
    assert nb.metadata["papermill"] == {"parameters": {"start_year": 2005}}
    assert "x 2005 2010" in nb.cells[-1].outputs[0]["text"]
    assert (figs / "years.txt").read_text() == "2005-2010"


def test_failed_run_keeps_last_good_outputs(tiny, tmp_path):
    out, figs = tmp_path / "out", tmp_path / "figs"
    good = runner.run([runner.Job(tiny, {})], workers=1, output_dir=out, figures_dest=figs, echo=lambda _: None)
    assert good[0].ok
    before = (out / tiny.name).read_bytes(), (figs / "years.txt").read_bytes()
    lines = []
    bad = runner.run([runner.Job(tiny, {"fail": True, "start_year": 1999})], workers=1, output_dir=out, figures_dest=figs, echo=lines.append)
    assert not bad[0].ok
    assert "RuntimeError: failing on purpose" in bad[0].error and "cell" in bad[0].error
    assert any("FAILED" in line for line in lines)
    assert ((out / tiny.name).read_bytes(), (figs / "years.txt").read_bytes()) == before


def test_reruns_are_byte_identical(tiny, tmp_path):
    outputs = []
    for attempt in range(2):
        out = tmp_path / f"out{attempt}"
        runner.run([runner.Job(tiny, {"start_year": 2001})], workers=1, output_dir=out, figures_dest=tmp_path / "f", echo=lambda _: None)
        outputs.append((out / tiny.name).read_bytes())
    assert outputs[0] == outputs[1]
    assert b"injected-parameters" in outputs[0]
