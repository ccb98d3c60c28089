"""Parameters are refused before any kernel starts, with exit code 2 and a short message naming them.

These cases use the real chapters' declared parameters; every one is refused, so no notebook runs.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from resetlab import runner
from resetlab.__main__ import main

ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
penalty: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def refused(capsys, *args: str) -> str:
    code = main(["run", *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err) < 500, f"message of {len(err)} characters"
    return err


@pytest.mark.parametrize("value, message", [
    ("-5", "must lie in [0.1..100.0]"),
    ("inf", "finite"),
    (".nan", "finite"),
    ("nan", "finite"),
    ("1e999", "finite"),
    ("[1, 2]", "single float"),
    ("x" * 5000, "longer than"),
])
def test_float_parameters_are_finite_and_in_range(capsys, value, message):
    assert message in refused(capsys, "03.00", "-p", "penalty", value)


def test_float_in_range_is_read_from_any_spelling():
    param = runner.declared_parameters(runner.resolve(["03.00"])[0])["penalty"]
    assert (param.low, param.high) == (0.1, 100.0)
    assert runner.coerce(param, "1e1", "03.00") == 10.0
    assert runner.coerce(param, 7, "03.00") == 7.0


@pytest.mark.parametrize("args, message", [
    (["-p", "reset_end", "20240101"], "takes a date YYYY-MM-DD"),
    (["-p", "reset_end", "2010-02-30"], "no such day"),
    (["-p", "reset_end", "2010-2-3"], "takes a date YYYY-MM-DD"),
    # As text "2024-12-31" sorts after "2024-02-01" either way; as dates the end must follow the start.
    (["-p", "reset_start", "2011-01-02", "-p", "reset_end", "2011-01-01"], "comes after"),
])
def test_dates_are_parsed_as_dates(capsys, args, message):
    assert message in refused(capsys, "03.00", *args)


def test_dates_compare_as_dates_not_text():
    nb = runner.resolve(["03.00"])[0]
    assert runner.check_parameters(nb, {"reset_start": "2009-01-01", "reset_end": "2009-12-31"})
    with pytest.raises(runner.ParameterError, match="comes after"):
        runner.check_parameters(nb, {"contacts_start": "2026-12-31", "contacts_end": "2026-03-31"})


def test_alias_bomb_is_refused_quickly_with_a_short_message(tmp_path, capsys):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB)
    err = refused(capsys, "03.00", "-f", str(bomb))
    assert "aliases" in err


def test_alias_bomb_on_the_command_line_is_refused(capsys):
    value = "&a [1,1,1,1,1,1,1,1,1,1]" + "".join(f", [*a,*a,*a,*a,*a]" for _ in range(50))
    err = refused(capsys, "03.00", "-p", "penalty", "[" + value + "]")
    assert "aliases" in err or "single float" in err


@pytest.mark.parametrize("content, message", [
    (b"penalty: [1, 2]\n", "takes a single value"),
    (b"penalty: {a: 1}\n", "takes a single value"),
    (b"- penalty\n", "expected a mapping"),
    (b"penalty: 3\n  bad: indentation\n", "not valid YAML"),
    (b"penalty: '3\n", "not valid YAML"),
    (b"penalty: 3\nlabel: caf\xe9\n", "not UTF-8 (byte 0xe9"),
    (b"x: '" + b"a" * 70_000 + b"'\n", "larger than 64 KiB"),
    (b"1: 3\n", "names are text"),
    (b"penalty: 1e999\n", "finite"),
    (b"reset_end: 2010-02-30\n", "day is out of range"),
])
def test_parameter_file_is_read_safely(tmp_path, capsys, content, message):
    params = tmp_path / "params.yaml"
    params.write_bytes(content)
    assert message in refused(capsys, "03.00", "-f", str(params))


def test_missing_parameter_file_is_refused(tmp_path, capsys):
    assert "cannot read" in refused(capsys, "03.00", "-f", str(tmp_path / "nowhere.yaml"))


def test_yaml_dates_become_iso_dates(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("reset_end: 2011-12-31\n")
    given = runner.read_parameter_file(params)
    jobs = runner.plan(runner.resolve(["05.00"]), given)
    assert jobs[0].parameters == {"reset_end": "2011-12-31"}


def test_long_messages_are_cut_short(capsys):
    err = refused(capsys, "03.00", "-p", "resolution", "y" * 900)
    assert "cut short" in err or len(err) < 300


@pytest.mark.parametrize("content", [b"penalty: [oops\n", b"\xff\xfe\x00p\x00"])
def test_cli_gives_no_traceback_for_bad_yaml(tmp_path, content):
    params = tmp_path / "params.yaml"
    params.write_bytes(content)
    done = subprocess.run([sys.executable, "-m", "resetlab", "run", "03.00", "-f", str(params)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.startswith("error: parameter file")
    assert len(done.stderr.splitlines()) == 1


def test_non_default_run_never_targets_committed_figures(tmp_path):
    from resetlab import paths

    nb = runner.resolve(["01.00"])[0]
    default, changed, same = runner.Job(nb, {}), runner.Job(nb, {"start_year": 2000}), runner.Job(nb, {"start_year": 1972})
    assert runner.destinations([default]) == (paths.BUILD / "notebooks", paths.FIGURES)
    assert runner.destinations([same]) == (paths.BUILD / "notebooks", paths.FIGURES)  # the default value, given
    assert runner.destinations([changed]) == (paths.BUILD / "notebooks", paths.BUILD / "notebooks" / "figures")
    assert runner.destinations([default], tmp_path) == (tmp_path, tmp_path / "figures")
    with pytest.raises(runner.ParameterError, match="never writes the committed figures"):
        runner.destinations([changed], tmp_path, paths.FIGURES)
    for protected in (paths.NOTEBOOKS, paths.DATA, paths.FIGURES):
        with pytest.raises(runner.ParameterError, match="committed files"):
            runner.destinations([default], protected)


def test_output_dir_inside_the_checkout_is_refused(capsys):
    assert "committed files" in refused(capsys, "01.00", "--output-dir", "notebooks")
