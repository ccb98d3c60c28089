"""Execute the notebooks with papermill: parameter checks first, parallel runs, atomic outputs."""
from __future__ import annotations

import ast
import os
import re
import shutil
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import nbformat

from . import paths
from .plotting import FIGURES_ENV, publish

NOTEBOOK_PATTERN = re.compile(r"^\d{2}\.\d{2}-[A-Za-z0-9-]+\.ipynb$")
RANGE_HINT = re.compile(r"\[\s*(?P<lo>[^\].]*?)\s*\.\.\s*(?P<hi>[^\]]*?)\s*\]\s*$")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CHOICE_HINT = re.compile(r"\{(?P<choices>[^}]*)\}\s*$")
KERNEL_START_ERRORS = ("Address already in use", "Kernel didn't respond", "Kernel died before replying")
KERNEL_ATTEMPTS = 3


class ParameterError(ValueError):
    """A parameter given to `run` that a notebook does not declare, or of the wrong type or value."""


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
            raise ParameterError(f"notebook {name!r} {'is ambiguous' if hits else 'not found'}; known: {known}")
        chosen.append(hits[0])
    return chosen


def parameters_source(path: Path) -> str | None:
    """Source of the cell tagged `parameters` (read as plain JSON: fast even for executed notebooks)."""
    import json

    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return None


def declared_parameters(path: Path) -> dict[str, Parameter]:
    """Parameters declared in the cell tagged `parameters`: `name = literal  # meaning [lo..hi]`."""
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
            meaning = meaning[: match.start()].strip()
        elif match := CHOICE_HINT.search(meaning):
            choices = tuple(c.strip() for c in match["choices"].split("|"))
            meaning = meaning[: match.start()].strip()
        declared[name] = Parameter(name, default, meaning, low, high, choices)
    return declared


def coerce(param: Parameter, value: Any, notebook: str) -> Any:
    """`value` (typed by YAML, or raw text from the command line) as the parameter's type."""
    where = f"{notebook}: parameter {param.name!r}"
    expected = type(param.default)
    if isinstance(value, str) and expected is not str:
        import yaml

        try:
            value = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            raise ParameterError(f"{where}: cannot read {value!r}") from exc
    if expected is str and isinstance(value, (date, int, float)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, date) else str(value)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not expected:
        raise ParameterError(f"{where} takes {expected.__name__}, got {value!r} ({type(value).__name__})")
    if expected is str and ISO_DATE.fullmatch(param.default):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"{where} takes a date YYYY-MM-DD; got {value!r}") from None
    if param.choices and str(value) not in param.choices:
        raise ParameterError(f"{where} must be one of {', '.join(param.choices)}; got {value!r}")
    if param.low is not None and value < param.low or param.high is not None and value > param.high:
        raise ParameterError(f"{where} must lie in [{param.low}..{param.high}]; got {value!r}")
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
            raise ParameterError(f"{path.name}: unknown parameter {name!r} (declared: {known})")
        checked[name] = coerce(declared[name], value, path.name)
    effective = {name: checked.get(name, p.default) for name, p in declared.items()}
    for first, second in _ordered_pairs(effective):
        if effective[first] > effective[second]:
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
        raise ParameterError(f"unknown parameter {unused[0]!r}: no selected notebook declares it")
    return jobs


# --- execution ------------------------------------------------------------------------------

def normalise(nb, parameters: dict[str, Any]):
    """Strip what changes from run to run (timings, versions, random ids)."""
    nb.metadata["papermill"] = {"parameters": dict(sorted(parameters.items()))}
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    nbformat.validate(nb)
    return nb


def write_atomically(nb, target: Path) -> None:
    paths.write_atomically(target, nbformat.writes(nb) + "\n")


@dataclass
class Result:
    notebook: str
    ok: bool
    seconds: float
    output: Path | None = None
    error: str = ""
    figures: list[Path] = field(default_factory=list)


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

    return IPCKernelManager


def _is_kernel_start_failure(exc: BaseException) -> bool:
    return any(text in str(exc) for text in KERNEL_START_ERRORS)


def execute(job: Job, output_dir: Path, figures_dest: Path) -> Result:
    """Run one notebook; on success publish notebook and figures, on failure leave both untouched."""
    import papermill as pm

    source, parameters = job.source, job.parameters
    started = time.perf_counter()
    staging = paths.BUILD / "staging" / Path(job.name).stem
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "figures").mkdir(parents=True)
    os.environ[FIGURES_ENV] = str(staging / "figures")
    raw_output = staging / source.name
    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        try:
            with tempfile.TemporaryDirectory(prefix="resetlab-") as sockets:  # short path: socket names are limited
                pm.execute_notebook(
                    str(source), str(raw_output), parameters=parameters or None, cwd=str(source.parent),
                    kernel_name="python3", progress_bar=False, log_output=False, record_timing=False,
                    kernel_manager_class=_ipc_kernel_manager(sockets),
                )
            break
        except Exception as exc:  # papermill raises many kinds; all mean this notebook failed
            if _is_kernel_start_failure(exc) and attempt < KERNEL_ATTEMPTS:
                time.sleep(attempt)
                continue
            return Result(job.name, False, time.perf_counter() - started, error=_describe(exc, raw_output))
    nb = normalise(nbformat.read(raw_output, as_version=4), parameters)
    target = output_dir / job.name
    write_atomically(nb, target)
    figures = publish(staging / "figures", figures_dest)
    shutil.rmtree(staging, ignore_errors=True)
    return Result(job.name, True, time.perf_counter() - started, target, figures=figures)


def _describe(exc: BaseException, raw_output: Path) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        where = f"cell {exc.cell_index} (execution count {exc.exec_count})"
        text = f"{where}: {exc.ename}: {exc.evalue}"
    else:
        text = f"{type(exc).__name__}: {exc}".strip()
        text += "\n" + "".join(traceback.format_exception_only(type(exc), exc)).strip()
    if raw_output.exists():
        text += f"\n  partial output kept for inspection: {raw_output}"
    return text


TIMINGS = paths.BUILD / "timings.json"


def longest_first(jobs: list[Job]) -> list[Job]:
    """Order jobs by their last recorded duration (else by notebook size), longest first.

    Starting the slowest notebooks first keeps every worker busy to the end of the run.
    """
    import json

    try:
        known = json.loads(TIMINGS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    return sorted(jobs, key=lambda job: (known.get(job.source.name, 0.0), job.source.stat().st_size), reverse=True)


def record_timings(results: list[Result]) -> None:
    import json

    try:
        known = json.loads(TIMINGS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known.update({r.notebook: round(r.seconds, 1) for r in results if r.ok})
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def run(
    jobs: list[Job],
    workers: int | None = None,
    output_dir: Path | None = None,
    figures_dest: Path | None = None,
    echo=print,
) -> list[Result]:
    """Execute `jobs` in parallel; report each as it finishes."""
    output_dir = Path(output_dir or paths.BUILD / "notebooks")
    if figures_dest is None:
        overridden = any(job.parameters for job in jobs)
        figures_dest = output_dir / "figures" if overridden else paths.FIGURES
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results: list[Result] = []
    total = len(jobs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute, job, output_dir, figures_dest) for job in longest_first(jobs)]
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results.append(result)
            status = "ok" if result.ok else "FAILED"
            echo(f"[{done}/{total}] {result.notebook}: {status} in {result.seconds:.1f} s")
            if not result.ok:
                echo(f"    {result.error}")
    record_timings(results)
    return sorted(results, key=lambda r: r.notebook)
