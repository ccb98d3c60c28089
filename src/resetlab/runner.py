"""Execute the notebooks with papermill: parameter checks first, parallel runs, isolated and atomic outputs.

Each run stages its work in a private folder, publishes a notebook's outputs only when the notebook
succeeded, and holds a lock on every folder it publishes to. A run with any non-default parameter or
its own --output-dir never writes the committed figures/. Ctrl-C or SIGTERM stops the queued and
running notebooks, kills their kernels and removes the staging folder; workers die with the run.
"""
from __future__ import annotations

import ast
import contextlib
import ctypes
import json
import math
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from . import paths

NOTEBOOK_PATTERN = re.compile(r"^\d{2}\.\d{2}-[A-Za-z0-9-]+\.ipynb$")
RANGE_HINT = re.compile(r"\[\s*(?P<lo>[^\]]*?)\s*\.\.\s*(?P<hi>[^\]]*?)\s*\]\s*$")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CHOICE_HINT = re.compile(r"\{(?P<choices>[^}]*)\}\s*$")
KERNEL_START_ERRORS = ("Address already in use", "Kernel didn't respond", "Kernel died before replying")
KERNEL_ATTEMPTS = 3
MESSAGE_LIMIT = 300  # characters of any one error message about user input
VALUE_LIMIT = 60  # characters of a value quoted in a message
PARAMETER_TEXT_LIMIT = 1000  # characters of one value given on the command line
PARAMETER_FILE_LIMIT = 64 * 1024  # bytes of a YAML parameter file
ALIAS_LIMIT = 50  # YAML aliases in one parameter file or value


class ParameterError(ValueError):
    """A parameter given to `run` that a notebook does not declare, or of the wrong type or value."""

    def __str__(self) -> str:
        return cap(super().__str__())


class Interrupted(BaseException):
    """The run was stopped by SIGINT or SIGTERM; nothing unfinished was published."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def cap(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` cut to `limit` characters (a message about user input never floods the terminal)."""
    return text if len(text) <= limit else text[: limit - 15] + " ... (cut short)"


def shown(value: Any) -> str:
    """A value as quoted in a message: its repr, cut short."""
    try:
        text = repr(value)
    except Exception:  # a hostile object: say what it is, not what it contains
        text = f"<{type(value).__name__}>"
    return cap(text, VALUE_LIMIT)


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any
    help: str
    low: Any = None
    high: Any = None
    choices: tuple = ()

    @property
    def type_name(self) -> str:
        return type(self.default).__name__

    @property
    def is_date(self) -> bool:
        return isinstance(self.default, str) and ISO_DATE.fullmatch(self.default) is not None


def notebooks(folder: Path | None = None) -> list[Path]:
    folder = Path(folder or paths.NOTEBOOKS)
    return sorted(p for p in folder.iterdir() if NOTEBOOK_PATTERN.match(p.name))


def resolve(names: list[str], folder: Path | None = None) -> list[Path]:
    """Notebooks named by path, file name or stem (an unambiguous prefix is enough)."""
    available = notebooks(folder)
    if not names:
        return available
    chosen = []
    for name in names:
        if Path(name).suffix == ".ipynb" and Path(name).is_file():
            chosen.append(Path(name).resolve())
            continue
        stem = Path(name).name.removesuffix(".ipynb")
        hits = [p for p in available if p.stem == stem] or [p for p in available if p.stem.startswith(stem)]
        if len(hits) != 1:
            known = ", ".join(p.stem for p in available)
            raise ParameterError(f"notebook {shown(name)} {'is ambiguous' if hits else 'not found'}; known: {known}")
        chosen.append(hits[0])
    return chosen


def parameters_source(path: Path) -> str | None:
    """Source of the cell tagged `parameters` (read as plain JSON: fast even for executed notebooks)."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return None


def declared_parameters(path: Path) -> dict[str, Parameter]:
    """Parameters declared in the cell tagged `parameters`: `name = literal  # meaning [lo..hi]`."""
    stat = Path(path).stat()
    return dict(_declared(Path(path).resolve(), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _declared(path: Path, mtime_ns: int, size: int) -> dict[str, Parameter]:
    source = parameters_source(path)
    if source is None:
        return {}
    declared: dict[str, Parameter] = {}
    for line in source.splitlines():
        code, _, comment = line.partition("#")
        if "=" not in code or code.strip().startswith(("import", "from")):
            continue
        name, _, value = code.partition("=")
        name = name.split(":")[0].strip()
        if not name.isidentifier():
            continue
        try:
            default = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError) as exc:
            raise ParameterError(f"{path.name}: parameter {name!r} has no literal default") from exc
        meaning, low, high, choices = comment.strip(), None, None, ()
        if match := RANGE_HINT.search(meaning):
            low, high = (ast.literal_eval(match[k]) if match[k] else None for k in ("lo", "hi"))
            if not isinstance(low, float) and not isinstance(high, float):
                # A decimal range stays in the meaning as the notebook wrote it: the index chapter's
                # parameter table shows it there, and its committed output must not change.
                meaning = meaning[: match.start()].strip()
        elif match := CHOICE_HINT.search(meaning):
            choices = tuple(c.strip() for c in match["choices"].split("|"))
            meaning = meaning[: match.start()].strip()
        declared[name] = Parameter(name, default, meaning, low, high, choices)
    return declared


# --- reading parameter values -------------------------------------------------------------------

def _bounded_loader():
    """A YAML SafeLoader that refuses more than ALIAS_LIMIT aliases (no alias bombs)."""
    import yaml
    from yaml.events import AliasEvent

    class BoundedLoader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(AliasEvent):
                self.aliases += 1
                if self.aliases > ALIAS_LIMIT:
                    raise ParameterError(f"more than {ALIAS_LIMIT} YAML aliases")
            return super().compose_node(parent, index)

    return BoundedLoader


def read_yaml(text: str, where: str) -> Any:
    """YAML `text` read safely: aliases bounded; a syntax error becomes a ParameterError naming `where`."""
    import yaml

    try:
        return yaml.load(text, Loader=_bounded_loader())  # noqa: S506 (a SafeLoader subclass)
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ParameterError(f"{where}: not valid YAML{at}: {problem}") from None
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a date with no such day
        raise ParameterError(f"{where}: cannot read: {cap(str(exc), 100)}") from None


SCALARS = (str, int, float, bool, date)


def read_parameter_file(path: Path) -> dict[str, Any]:
    """NAME: VALUE pairs from a YAML file: at most 64 KiB, UTF-8, a mapping of single values."""
    where = f"parameter file {path}"
    try:
        with open(path, "rb") as handle:
            raw = handle.read(PARAMETER_FILE_LIMIT + 1)
    except OSError as exc:
        raise ParameterError(f"{where}: cannot read: {exc.strerror}") from None
    if len(raw) > PARAMETER_FILE_LIMIT:
        raise ParameterError(f"{where}: larger than {PARAMETER_FILE_LIMIT // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{where}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    loaded = read_yaml(text, where)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError(f"{where}: expected a mapping of NAME: VALUE, got a {type(loaded).__name__}")
    for name, value in loaded.items():
        if not isinstance(name, str):
            raise ParameterError(f"{where}: parameter names are text; got {shown(name)}")
        if not isinstance(value, SCALARS):
            raise ParameterError(f"{where}: parameter {shown(name)} takes a single value, not a {type(value).__name__}")
    return loaded


def _parse_date(text: str, where: str) -> date:
    if not ISO_DATE.fullmatch(text):
        raise ParameterError(f"{where} takes a date YYYY-MM-DD; got {shown(text)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParameterError(f"{where} takes a date YYYY-MM-DD; got {shown(text)} (no such day)") from None


def coerce(param: Parameter, value: Any, notebook: str) -> Any:
    """`value` (typed by YAML, or raw text from the command line) as the parameter's type."""
    where = f"{notebook}: parameter {param.name!r}"
    expected = type(param.default)
    if isinstance(value, str) and expected is not str:
        if len(value) > PARAMETER_TEXT_LIMIT:
            raise ParameterError(f"{where}: value longer than {PARAMETER_TEXT_LIMIT} characters")
        if expected is float:
            with contextlib.suppress(ValueError):
                value = float(value)
        if isinstance(value, str):
            value = read_yaml(value, where)
    if not isinstance(value, SCALARS):
        raise ParameterError(f"{where} takes a single {expected.__name__}, not a {type(value).__name__}")
    if expected is str and isinstance(value, (date, int, float)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, date) else str(value)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not expected:
        raise ParameterError(f"{where} takes {expected.__name__}, got {shown(value)} ({type(value).__name__})")
    if expected is str and len(value) > PARAMETER_TEXT_LIMIT:
        raise ParameterError(f"{where}: value longer than {PARAMETER_TEXT_LIMIT} characters")
    if expected is float and not math.isfinite(value):
        raise ParameterError(f"{where} takes a finite number; got {shown(value)}")
    if param.is_date:
        value = _parse_date(value, where).isoformat()
    if param.choices and str(value) not in param.choices:
        raise ParameterError(f"{where} must be one of {', '.join(param.choices)}; got {shown(value)}")
    if param.low is not None and value < param.low or param.high is not None and value > param.high:
        raise ParameterError(f"{where} must lie in [{param.low}..{param.high}]; got {shown(value)}")
    return value


def _ordered_pairs(names) -> list[tuple[str, str]]:
    pairs = []
    for name in names:
        for first, second in (("start", "end"), ("from", "to")):
            parts = name.split("_")
            if first in parts:
                partner = "_".join(second if p == first else p for p in parts)
                if partner in names:
                    pairs.append((name, partner))
    return pairs


def check_parameters(path: Path, given: dict[str, Any]) -> dict[str, Any]:
    """Typed parameters for `path`, or ParameterError naming the first bad one."""
    declared = declared_parameters(path)
    checked = {}
    for name, value in given.items():
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ParameterError(f"{path.name}: unknown parameter {shown(name)} (declared: {known})")
        checked[name] = coerce(declared[name], value, path.name)
    effective = {name: checked.get(name, p.default) for name, p in declared.items()}
    for first, second in _ordered_pairs(effective):
        low, high = effective[first], effective[second]
        if declared[first].is_date and declared[second].is_date:
            low, high = date.fromisoformat(low), date.fromisoformat(high)
        if low > high:
            raise ParameterError(f"{path.name}: {first}={effective[first]!r} comes after {second}={effective[second]!r}")
    return checked


class Job(NamedTuple):
    """One execution: a notebook, its parameters, and the output file name (default: the notebook's)."""

    source: Path
    parameters: dict
    output_name: str | None = None

    @property
    def name(self) -> str:
        return self.output_name or self.source.name


def is_default(job: Job) -> bool:
    """True when every parameter of `job` equals the notebook's declared default."""
    if not job.parameters:
        return True
    declared = declared_parameters(job.source)
    return all(name in declared and declared[name].default == value for name, value in job.parameters.items())


def plan(selected: list[Path], given: dict[str, Any]) -> list[Job]:
    """Each notebook with the given parameters it declares; a name no notebook declares is refused."""
    jobs, used = [], set()
    for path in selected:
        declared = declared_parameters(path)
        own = {k: v for k, v in given.items() if k in declared}
        used.update(own)
        jobs.append(Job(path, check_parameters(path, own)))
    unused = sorted(set(given) - used)
    if unused:
        raise ParameterError(f"unknown parameter {shown(unused[0])}: no selected notebook declares it")
    return jobs


def non_default_outputs(folder: Path | None = None, files: list[Path] | None = None) -> list[str]:
    """Executed notebooks in `folder` (default build/notebooks), or the given `files`, that a run
    with non-default parameters wrote.

    `site` and `export` read such notebooks; they refuse to publish their results.
    """
    folder = Path(folder or paths.BUILD / "notebooks")
    if files is None:
        files = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    found = []
    committed = {p.name: p for p in notebooks()}
    for path in files:
        try:
            given = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("papermill", {}).get("parameters", {})
        except (OSError, ValueError, KeyError, AttributeError):
            continue
        source = committed.get(path.name)
        if given and (source is None or not is_default(Job(source, given))):
            settings = ", ".join(f"{k}={shown(v)}" for k, v in sorted(given.items()))
            found.append(f"{paths.display(path)} ({settings})")
    return found


# --- execution ------------------------------------------------------------------------------

def merge_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same stream as one: the split depends on timing, not on the notebook."""
    merged: list = []
    for output in outputs:
        last = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")):
            last["text"] = "".join(last["text"]) + "".join(output["text"])
        else:
            merged.append(output)
    return merged


def normalise(nb, parameters: dict[str, Any]):
    """Strip what changes from run to run (timings, versions, random ids, how streams were chunked)."""
    import nbformat

    nb.metadata["papermill"] = {"parameters": dict(sorted(parameters.items()))}
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    nbformat.validate(nb)
    return nb


def write_atomically(nb, target: Path) -> None:
    import nbformat

    paths.write_atomically(target, nbformat.writes(nb) + "\n")


@dataclass
class Result:
    notebook: str
    ok: bool
    seconds: float
    output: Path | None = None
    error: str = ""
    figures: list[Path] = field(default_factory=list)
    staged: Path | None = None  # the executed notebook's folder in staging (before publishing)


# Kernels this worker started: killed (with their process groups) when the worker is told to stop.
_KERNELS: set[int] = set()


def _ipc_kernel_manager(folder: str):
    """A kernel manager on IPC sockets in `folder`: no TCP ports to collide when kernels start in parallel."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            # A private folder per run: IPC socket names are otherwise shared and can collide.
            return os.path.join(folder, "kernel")

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts every kernel before asking it to shut down. Ours are idle by
            # then (papermill has finished the notebook), and a SIGINT that lands between two of the
            # kernel's own steps makes it log "KeyboardInterrupt caught in kernel" into the run's
            # output. A kernel that does not shut down when asked is still killed after the wait.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            pid = getattr(getattr(self.provisioner, "process", None), "pid", None)
            if pid:
                _KERNELS.add(pid)

    return IPCKernelManager


def _kill_kernels() -> None:
    for pid in list(_KERNELS):
        # Each kernel leads its own session (jupyter_client starts it so): the group takes its children too.
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(OSError):
                kill(pid, signal.SIGKILL)
        _KERNELS.discard(pid)


def _worker_stop(signum=signal.SIGTERM, frame=None) -> None:
    _kill_kernels()
    os._exit(128 + int(signum))


def _die_with_parent(signum: int) -> None:
    """Ask Linux to send `signum` to this process when its parent dies (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signum), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def _worker_started(parent: int) -> None:
    """Runs first in every pool worker: the parent handles Ctrl-C; the worker dies with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    _die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request above took effect
        _worker_stop()


def _is_kernel_start_failure(exc: BaseException) -> bool:
    return any(text in str(exc) for text in KERNEL_START_ERRORS)


def execute(job: Job, staging_root: Path) -> Result:
    """Run one notebook into its own folder under `staging_root`; nothing is published here."""
    import papermill as pm

    from .plotting import FIGURES_ENV

    source, parameters = job.source, job.parameters
    started = time.perf_counter()
    staging = Path(staging_root) / Path(job.name).stem
    try:
        (staging / "figures").mkdir(parents=True)
    except OSError as exc:
        return Result(job.name, False, time.perf_counter() - started, error=_describe(exc, None))
    os.environ[FIGURES_ENV] = str(staging / "figures")
    raw_output = staging / source.name
    try:
        for attempt in range(1, KERNEL_ATTEMPTS + 1):
            try:
                with tempfile.TemporaryDirectory(prefix="resetlab-") as sockets:  # short path: socket names are limited
                    pm.execute_notebook(
                        str(source), str(raw_output), parameters=parameters or None, cwd=str(source.parent),
                        kernel_name="python3", progress_bar=False, log_output=False, record_timing=False,
                        # Written once at the end (or on failure), not after every cell: the staged
                        # copy is private, and a scorecard would otherwise be serialised 40 times.
                        request_save_on_cell_execute=False,
                        kernel_manager_class=_ipc_kernel_manager(sockets),
                    )
                break
            except Exception as exc:  # papermill raises many kinds; all mean this notebook failed
                if _is_kernel_start_failure(exc) and attempt < KERNEL_ATTEMPTS:
                    time.sleep(attempt)
                    continue
                return Result(job.name, False, time.perf_counter() - started, error=_describe(exc, raw_output))
        import nbformat

        nb = normalise(nbformat.read(raw_output, as_version=4), parameters)
        write_atomically(nb, staging / "executed.ipynb")
    except Exception as exc:
        return Result(job.name, False, time.perf_counter() - started, error=_describe(exc, raw_output))
    finally:
        _kill_kernels()  # a kernel that outlived papermill (it should not) does not outlive its notebook
    return Result(job.name, True, time.perf_counter() - started, staged=staging)


def _describe(exc: BaseException, raw_output: Path | None) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        text = f"cell {exc.cell_index} (execution count {exc.exec_count}): {exc.ename}: {exc.evalue}"
    elif isinstance(exc, OSError) and exc.filename:
        text = f"cannot write {exc.filename}: {exc.strerror}"
    else:
        text = f"{type(exc).__name__}: {exc}".strip()
    return cap(text.splitlines()[0] if text else type(exc).__name__, 500)


def _stale(folder: Path, prefix: str, keep: set[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and p.name.startswith(prefix) and p.name not in keep]


def publish(job: Job, result: Result, output_dir: Path, figures_dest: Path) -> Result:
    """Move a finished notebook and its figures into place (one atomic rename each) and drop stale figures.

    A figure belongs to a chapter by its two-digit prefix ("01-..."); after a chapter publishes, its
    folder holds exactly the figures this run made. Figures that an earlier run with other parameters
    left beside the notebooks (output_dir/figures) are removed when defaults replace them.
    """
    staging = result.staged
    produced = sorted((staging / "figures").iterdir())
    try:
        for item in produced:
            paths.copy_atomically(item, figures_dest / item.name)
        target = output_dir / job.name
        paths.copy_atomically(staging / "executed.ipynb", target)
    except paths.WriteError as exc:
        return Result(job.name, False, result.seconds, error=str(exc))
    prefix = f"{job.source.stem[:2]}-"
    keep = {p.name for p in produced}
    stale = _stale(figures_dest, prefix, keep)
    override = output_dir / "figures"
    if override.resolve() != figures_dest.resolve():
        stale += _stale(override, prefix, set())
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return Result(job.name, True, result.seconds, target, figures=[figures_dest / p.name for p in produced])


TIMINGS = paths.BUILD / "timings.json"


def longest_first(jobs: list[Job]) -> list[Job]:
    """Order jobs by their last recorded duration (else by notebook size), longest first.

    Starting the slowest notebooks first keeps every worker busy to the end of the run.
    """
    try:
        known = json.loads(TIMINGS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    return sorted(jobs, key=lambda job: (known.get(job.source.name, 0.0), job.source.stat().st_size), reverse=True)


def record_timings(results: list[Result]) -> None:
    """Remember durations for the next run's ordering (a hint only: a write error is ignored)."""
    try:
        known = json.loads(TIMINGS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known.update({r.notebook: round(r.seconds, 1) for r in results if r.ok})
    with contextlib.suppress(OSError):
        paths.write_atomically(TIMINGS, json.dumps(known, indent=1, sort_keys=True) + "\n")


STAGING = paths.BUILD / "staging"
STAGING_PATTERN = re.compile(r"^run-(?P<pid>\d+)-")


def _remove_abandoned_staging() -> None:
    """Staging folders of runs whose process no longer exists (killed outright) are removed."""
    if not STAGING.is_dir():
        return
    for folder in STAGING.iterdir():
        match = STAGING_PATTERN.match(folder.name)
        if not match:
            continue
        try:
            os.kill(int(match["pid"]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def _raise_interrupted(signum, frame) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_held():
    """Hold SIGINT and SIGTERM while a notebook's files are published, so a stop never splits them."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


@contextlib.contextmanager
def _stop_on_signals():
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop every worker: each kills its kernels and exits; a worker that does not is killed."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for process in processes:
        process.join(max(0.1, deadline - time.monotonic()))
        if process.is_alive():
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGKILL)
            process.join(1)
    pool.shutdown(wait=False, cancel_futures=True)


def destinations(jobs: list[Job], output_dir: Path | None = None, figures_dest: Path | None = None) -> tuple[Path, Path]:
    """Where a run publishes: (notebooks, figures).

    Only a run with default parameters and the default output folder writes the committed figures/;
    any other run keeps its figures beside its notebooks (output_dir/figures).
    """
    default_dir = paths.BUILD / "notebooks"
    output_dir = Path(output_dir or default_dir)
    defaults = all(is_default(job) for job in jobs)
    if figures_dest is None:
        figures_dest = paths.FIGURES if defaults and output_dir.resolve() == default_dir.resolve() else output_dir / "figures"
    figures_dest = Path(figures_dest)
    for folder, what in ((output_dir, "--output-dir"), (figures_dest, "figures")):
        for protected in (paths.NOTEBOOKS, paths.DATA, paths.ROOT, paths.ROOT / "src", paths.ROOT / "teaching"):
            if folder.resolve() == protected.resolve():
                raise ParameterError(f"{what} {paths.display(folder)} holds committed files; choose a folder under build/")
    if figures_dest.resolve() == paths.FIGURES.resolve() and not defaults:
        raise ParameterError("a run with non-default parameters never writes the committed figures/")
    if output_dir.resolve() == paths.FIGURES.resolve():
        raise ParameterError("--output-dir figures/ holds committed files; choose a folder under build/")
    return output_dir, figures_dest


def run(
    jobs: list[Job],
    workers: int | None = None,
    output_dir: Path | None = None,
    figures_dest: Path | None = None,
    echo=print,
) -> list[Result]:
    """Execute `jobs` in parallel; publish each as it succeeds; report each as it finishes.

    Raises ParameterError for a destination the run may not write, paths.Busy when another run
    publishes to the same folder, and Interrupted on SIGINT/SIGTERM (after stopping everything).
    """
    output_dir, figures_dest = destinations(jobs, output_dir, figures_dest)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results: list[Result] = []
    total = len(jobs)
    with paths.publishing(output_dir, figures_dest):
        STAGING.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_staging()
        staging_root = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=STAGING))
        try:
            with _stop_on_signals():
                import papermill  # noqa: F401  (here, before the workers fork: they share it instead of each importing it)

                pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started, initargs=(os.getpid(),))
                try:
                    futures = {pool.submit(execute, job, staging_root): job for job in longest_first(jobs)}
                    for done, future in enumerate(as_completed(futures), start=1):
                        job = futures[future]
                        try:
                            result = future.result()
                        except BrokenProcessPool as exc:
                            result = Result(job.name, False, 0.0, error=f"the worker process died ({exc})")
                        if result.ok:
                            with _signals_held():
                                result = publish(job, result, output_dir, figures_dest)
                        results.append(result)
                        status = "ok" if result.ok else "FAILED"
                        echo(f"[{done}/{total}] {result.notebook}: {status} in {result.seconds:.1f} s")
                        if not result.ok:
                            echo(f"    {result.error}")
                except BaseException:  # Interrupted above all: stop workers and kernels before leaving
                    _stop_workers(pool)
                    raise
                else:
                    pool.shutdown(wait=True)
        finally:
            shutil.rmtree(staging_root, ignore_errors=True)
    record_timings(results)
    return sorted(results, key=lambda r: r.notebook)
