"""Faults a run must survive: SIGINT, SIGTERM and SIGKILL of the parent, a kernel killed mid-run,
a full disk, and two overlapping runs. After each, the committed files are byte-identical and no
process of the run is left.

The runs use a scratch project (RESETLAB_ROOT) with small notebooks that sleep, so each case takes
seconds and never touches this checkout's figures/ or notebooks/.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from resetlab import paths, runner
from resetlab.__main__ import main

# Plain Python only (no plotting imports): each kernel starts in about a second on a quiet machine.
BODY = '''import os, pathlib, signal, time
markers = pathlib.Path(os.environ["FAULT_MARKERS"])
(markers / f"{NAME}.{os.getpid()}").write_text("started")
if os.environ.get("FAULT_KILL_KERNEL") == NAME:
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(float(os.environ.get("FAULT_SLEEP", "0")))
(pathlib.Path(os.environ["RESETLAB_FIGURES_DIR"]) / f"{PREFIX}-chart.png").write_bytes(b"new " + NAME.encode())
print(NAME, "done")'''
NAMES = ["91.00-Alpha", "92.00-Beta", "93.00-Gamma"]  # two run at once, one waits in the queue


def notebook(name: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("label = 'x'  # a label")
    params.metadata["tags"] = ["parameters"]
    source = f"NAME = {name!r}\nPREFIX = {name[:2]!r}\n" + BODY
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch checkout: the real data, four small notebooks, committed figures and notebooks."""
    root = tmp_path / "project"
    shutil.copytree(paths.DATA, root / "data")
    (root / "notebooks").mkdir(parents=True)
    (root / "figures").mkdir()
    for name in NAMES:
        nbformat.write(notebook(name), root / "notebooks" / f"{name}.ipynb")
        (root / "figures" / f"{name[:2]}-chart.png").write_bytes(b"committed " + name.encode())
    (root / "markers").mkdir()
    # The data are this checkout's, so its stored validation holds there too (as in a checkout that
    # was validated before): each run goes straight to its kernels.
    from resetlab.validate import validate

    assert validate() == []
    (root / "build" / "cache").mkdir(parents=True)
    for stored in (paths.BUILD / "cache").glob("validate-*.json"):
        shutil.copyfile(stored, root / "build" / "cache" / stored.name)
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every committed file (figures/, notebooks/, data/)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("figures", "notebooks", "data") for p in sorted((root / folder).rglob("*")) if p.is_file()}


STARTED: list[subprocess.Popen] = []
KERNEL_START = 180  # seconds: generous, because the machine may be busy


@pytest.fixture(autouse=True)
def stop_leftovers():
    """A failed case must not leave its run going into the next one."""
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            for pid in descendants(proc.pid) | {proc.pid}:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            proc.communicate()


def start(root: Path, *args: str, sleep: float = 900, kill_kernel: str = "") -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "RESETLAB_FIGURES_DIR"}
    env.update(RESETLAB_ROOT=str(root), FAULT_MARKERS=str(root / "markers"), FAULT_SLEEP=str(sleep), FAULT_KILL_KERNEL=kill_kernel)
    proc = subprocess.Popen([sys.executable, "-m", "resetlab", "run", "--jobs", "2", *args], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    STARTED.append(proc)
    return proc


def markers(root: Path) -> list[Path]:
    return sorted((root / "markers").iterdir())


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def children() -> dict[int, int]:
    """pid -> parent pid of every live (non-zombie) process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":
            table[int(entry.name)] = int(fields[1])
    return table


def descendants(pid: int) -> set[int]:
    table, found, frontier = children(), set(), {pid}
    while frontier:
        frontier = {child for child, parent in table.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    return pids & set(children())


def kernels_of(root: Path) -> set[int]:
    return {int(p.suffix[1:]) for p in markers(root)}


def assert_nothing_left(root: Path, pids: set[int], before: dict[str, str]) -> None:
    wait_for(lambda: not alive(pids), 10, f"processes {sorted(alive(pids))} to end")
    assert snapshot(root) == before
    assert not list(root.rglob("*.tmp")), list(root.rglob("*.tmp"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_running_and_queued_notebooks(project, signum):
    before = snapshot(project)
    proc = start(project)
    wait_for(lambda: len(markers(project)) == 2, KERNEL_START, "two kernels to start")
    tree = descendants(proc.pid) | kernels_of(project)
    assert len(tree) >= 4, tree  # two workers, two kernels
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "ok in" not in out, out
    assert "interrupted" in err and "Traceback" not in err
    assert_nothing_left(project, tree, before)
    time.sleep(1)
    assert len(markers(project)) == 2, "a queued notebook started after the signal"
    assert not [p for p in (project / "build" / "staging").iterdir()], "staging left behind"


def test_sigkill_of_the_parent_takes_workers_and_kernels_with_it(project):
    before = snapshot(project)
    proc = start(project)
    wait_for(lambda: len(markers(project)) == 2, KERNEL_START, "two kernels to start")
    tree = descendants(proc.pid) | kernels_of(project)
    proc.kill()
    proc.communicate(timeout=10)
    assert_nothing_left(project, tree, before)
    # The next run removes the staging folder the killed run could not.
    env = dict(os.environ, RESETLAB_ROOT=str(project))
    subprocess.run([sys.executable, "-c", "from resetlab import runner; runner._remove_abandoned_staging()"], env=env, check=True)
    assert not list((project / "build" / "staging").iterdir())


def test_kernel_killed_mid_run_fails_that_notebook_only(project):
    before = snapshot(project)
    proc = start(project, sleep=0, kill_kernel="92.00-Beta")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, (out, err)
    assert "92.00-Beta.ipynb: FAILED" in out
    assert "1 of 3 notebooks failed" in err and "Traceback" not in err
    assert (project / "figures" / "92-chart.png").read_bytes() == b"committed 92.00-Beta"
    assert (project / "figures" / "91-chart.png").read_bytes() == b"new 91.00-Alpha"  # the others published
    assert_nothing_left(project, kernels_of(project), snapshot(project))


def test_second_run_to_the_same_place_is_refused(project):
    before = snapshot(project)
    first = start(project)
    wait_for(lambda: len(markers(project)) == 2, KERNEL_START, "the first run's kernels to start")
    tree = descendants(first.pid) | kernels_of(project)
    second = start(project, sleep=0)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 75, err
    assert "another run (process" in err and "is publishing to" in err and "Traceback" not in err
    assert len(markers(project)) == 2, "the refused run started a kernel"
    # A run with its own output folder does not collide, and leaves figures/ alone.
    third = start(project, "91.00", "--output-dir", str(project / "build" / "mine"), sleep=0)
    out, err = third.communicate(timeout=300)
    assert third.returncode == 0, err
    assert (project / "build" / "mine" / "figures" / "91-chart.png").read_bytes() == b"new 91.00-Alpha"
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=60)
    assert_nothing_left(project, tree | kernels_of(project), before)


def failing_write(code: int):
    def fail(handle, payload):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code, text", [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")])
def test_publishing_write_error_is_one_line_and_keeps_the_previous_files(tmp_path, monkeypatch, code, text):
    """A finished notebook whose publishing fails: the previous notebook and figures stay, no .tmp is left."""
    staged = tmp_path / "staging" / "91.00-Alpha"
    (staged / "figures").mkdir(parents=True)
    (staged / "figures" / "91-chart.png").write_bytes(b"new")
    (staged / "executed.ipynb").write_text("new", encoding="utf-8")
    out, figures = tmp_path / "out", tmp_path / "figures"
    figures.mkdir()
    out.mkdir()
    (figures / "91-chart.png").write_bytes(b"old")
    (out / "91.00-Alpha.ipynb").write_text("old", encoding="utf-8")
    monkeypatch.setattr(paths, "_write_all", failing_write(code))
    job = runner.Job(tmp_path / "91.00-Alpha.ipynb", {})
    result = runner.publish(job, runner.Result(job.name, True, 1.0, staged=staged), out, figures)
    assert not result.ok
    assert result.error == f"cannot write {figures / '91-chart.png'}: {text}"
    assert (figures / "91-chart.png").read_bytes() == b"old" and (out / "91.00-Alpha.ipynb").read_text() == "old"
    assert not list(tmp_path.rglob("*.tmp"))


def test_disk_full_during_a_run_is_reported_in_one_line(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    tiny = tmp_path / "notebooks" / "91.00-Alpha.ipynb"
    tiny.parent.mkdir()
    nbformat.write(notebook("91.00-Alpha"), tiny)
    monkeypatch.setenv("FAULT_MARKERS", str(tmp_path))
    monkeypatch.setenv("FAULT_SLEEP", "0")
    monkeypatch.setattr(paths, "_write_all", failing_write(errno.ENOSPC))
    assert main(["run", str(tiny), "--output-dir", str(out), "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    failure = [line.strip() for line in captured.out.splitlines() if "cannot write" in line]
    assert len(failure) == 1 and failure[0].endswith("executed.ipynb: No space left on device"), captured.out
    assert not out.exists() or not list(out.rglob("*"))
    assert not list(tmp_path.rglob("*.tmp")) and not list(paths.BUILD.glob("staging/**/*.tmp"))


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KB tmpfs: a real file system that fills up (mounting needs root; skipped without it)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip()[:120]}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_is_one_line_and_keeps_the_previous_notebook(small_disk):
    out = small_disk / "out"
    out.mkdir()
    previous = out / "00.00-Index.ipynb"
    shutil.copyfile(paths.NOTEBOOKS / previous.name, previous)  # what an earlier run published
    before = previous.read_bytes()
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * max(free - len(before) // 2, 0))  # room for half a notebook
    env = {k: v for k, v in os.environ.items() if k != "RESETLAB_FIGURES_DIR"}
    done = subprocess.run([sys.executable, "-m", "resetlab", "run", "00.00", "--output-dir", str(out)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    failure = [line.strip() for line in done.stdout.splitlines() if "cannot write" in line]
    assert failure == [f"cannot write {previous}: No space left on device"], done.stdout
    assert previous.read_bytes() == before
    assert not list(small_disk.rglob("*.tmp"))


def test_write_error_in_export_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(paths, "_write_all", lambda handle, payload: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    before = {p: p.read_bytes() for p in paths.BUILD.glob("claim*") if p.is_file()}
    assert main(["export", "--notebook", str(paths.NOTEBOOKS / "05.00-Claims-Scorecard.ipynb")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: cannot write ") and "claim" in err[0] and "No space left on device" in err[0]
    assert {p: p.read_bytes() for p in paths.BUILD.glob("claim*") if p.is_file()} == before
    assert not list(paths.BUILD.glob(".claim*.tmp"))
