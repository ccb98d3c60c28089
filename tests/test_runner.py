import shutil
import subprocess
import sys
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


def test_consecutive_stream_outputs_are_merged():
    out = [nbformat.v4.new_output("stream", name="stdout", text="a\n"), nbformat.v4.new_output("stream", name="stdout", text="b\n"),
           nbformat.v4.new_output("stream", name="stderr", text="w\n"), nbformat.v4.new_output("stream", name="stdout", text="c\n")]
    merged = runner.merge_streams(out)
    assert [(o["name"], o["text"]) for o in merged] == [("stdout", "a\nb\n"), ("stderr", "w\n"), ("stdout", "c\n")]


def test_publishing_removes_stale_figures_of_that_chapter_only(tmp_path):
    staged = tmp_path / "staging" / "01.00-Arms"
    (staged / "figures").mkdir(parents=True)
    (staged / "figures" / "01-kept.png").write_bytes(b"new")
    (staged / "executed.ipynb").write_text("{}", encoding="utf-8")
    out, figures = tmp_path / "out", tmp_path / "figures"
    (out / "figures").mkdir(parents=True)
    figures.mkdir()
    for name in ("01-kept.png", "01-renamed-away.png", "02-other-chapter.png"):
        (figures / name).write_bytes(b"old")
    (out / "figures" / "01-from-an-override-run.png").write_bytes(b"override")
    (out / "figures" / "02-override.png").write_bytes(b"override")
    job = runner.Job(tmp_path / "01.00-Arms.ipynb", {})
    result = runner.publish(job, runner.Result(job.name, True, 1.0, staged=staged), out, figures)
    assert result.ok
    assert sorted(p.name for p in figures.iterdir()) == ["01-kept.png", "02-other-chapter.png"]
    assert (figures / "01-kept.png").read_bytes() == b"new"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["02-override.png"]
    assert not staged.exists()


def test_site_and_export_refuse_results_of_a_parameterised_run(tmp_path, monkeypatch, capsys):
    from resetlab import paths

    built = tmp_path / "build" / "notebooks"
    built.mkdir(parents=True)
    for source in runner.notebooks()[:2]:
        shutil.copyfile(source, built / source.name)
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    assert runner.non_default_outputs() == []
    nb = nbformat.read(built / "01.00-Arms-Control.ipynb", as_version=4)
    nb.metadata["papermill"] = {"parameters": {"start_year": 2000}}
    nbformat.write(nb, built / "01.00-Arms-Control.ipynb")
    assert runner.non_default_outputs() == ["build/notebooks/01.00-Arms-Control.ipynb (start_year=2000)"] or \
        runner.non_default_outputs()[0].endswith("01.00-Arms-Control.ipynb (start_year=2000)")
    assert main(["site"]) == 2
    err = capsys.readouterr().err
    assert "01.00-Arms-Control.ipynb (start_year=2000) comes from a run with non-default parameters" in err
    # The scorecard is what export reads; it is still the default one here.
    nb.metadata["papermill"] = {"parameters": {"start_year": 1972}}  # a default value, given explicitly
    nbformat.write(nb, built / "01.00-Arms-Control.ipynb")
    assert runner.non_default_outputs() == []
    # export --notebook on a scorecard executed with other parameters is refused too.
    elsewhere = tmp_path / "mine" / "05.00-Claims-Scorecard.ipynb"
    elsewhere.parent.mkdir()
    card = nbformat.read(runner.resolve(["05.00"])[0], as_version=4)
    card.metadata["papermill"] = {"parameters": {"indicator": "talk"}}
    nbformat.write(card, elsewhere)
    before = sorted(p.name for p in (tmp_path / "build").iterdir())
    assert main(["export", "--notebook", str(elsewhere)]) == 2
    assert "05.00-Claims-Scorecard.ipynb (indicator='talk') comes from a run with non-default parameters" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == before


def test_second_publisher_is_refused_with_the_folder_and_process(tmp_path):
    from resetlab import paths

    folder = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom resetlab import paths\n"
                               f"with paths.publishing(Path({str(folder)!r})):\n    print('held', flush=True)\n    time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(paths.Busy, match=rf"another run \(process {holder.pid}\) is publishing to .*out"):
            with paths.publishing(folder):
                pass
    finally:
        holder.kill()
        holder.communicate()
    with paths.publishing(folder):  # released when its holder died
        pass


def test_commands_skip_the_slow_iri_grammar_and_still_read_notebooks():
    """The command line marks rfc3987-syntax absent (resetlab.fastimport): nbformat and
    Frictionless still work, and the grammar is never compiled."""
    code = ("import sys, resetlab.__main__, nbformat, frictionless\n"
            "nbformat.validate(nbformat.v4.new_notebook())\n"
            "assert 'lark' not in sys.modules, 'the IRI grammar was compiled'\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_pytest_skips_the_slow_iri_grammar_too():
    """pytest loads resetlab.fastimport before nbval imports jsonschema (see pyproject.toml)."""
    assert "nbval.plugin" in sys.modules and "jsonschema" in sys.modules
    assert "lark" not in sys.modules, "the IRI grammar was compiled in this test process"


def test_kernels_are_not_interrupted_on_their_way_out(tmp_path):
    """jupyter_client sends SIGINT before every shutdown; an idle kernel then logs "KeyboardInterrupt
    caught in kernel" into the run's output. The runner's kernel manager skips that interrupt."""
    import asyncio

    manager = runner._ipc_kernel_manager(str(tmp_path))()
    sent = []

    async def record(signum):
        sent.append(signum)

    manager._async_signal_kernel = record
    manager.shutting_down = True
    asyncio.run(manager._async_interrupt_kernel())
    assert sent == []
