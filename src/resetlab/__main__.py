"""Command line: `python -m resetlab list | run | refresh | validate`."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from . import fastimport, paths  # noqa: F401  (fastimport first: it spares every command two seconds)


EXIT_BAD_INPUT = 2  # bad parameters or bad data: refused before anything runs
EXIT_BAD_PARAMETERS = EXIT_BAD_INPUT
EXIT_BUSY = 75  # another run is publishing to the same folder (sysexits EX_TEMPFAIL: try again later)
EXIT_INTERRUPTED = 130
PROBLEMS_SHOWN = 20


def _parse_params(pairs: list[list[str]], files: list[str]) -> dict:
    from .runner import read_parameter_file

    given: dict = {}
    for file in files:
        given.update(read_parameter_file(Path(file)))
    for name, value in pairs:
        given[name] = value
    return given


def _refuse_bad_data() -> int | None:
    """Validate the data package before any kernel starts: exit 2 naming file, row and column."""
    from .validate import validate

    problems = validate()
    if not problems:
        return None
    for problem in problems[:PROBLEMS_SHOWN]:
        print(f"error: {problem}", file=sys.stderr)
    more = f" (first {PROBLEMS_SHOWN} shown; `python -m resetlab validate` lists all)" if len(problems) > PROBLEMS_SHOWN else ""
    print(f"{len(problems)} problem(s) in the data package{more}; nothing was run", file=sys.stderr)
    return EXIT_BAD_INPUT


def _refuse_non_default(what: str, names: set[str] | None = None, files: list[Path] | None = None) -> int | None:
    """`site` and `export` publish default results only; refuse when build/notebooks (or `files`)
    holds other ones."""
    from .runner import non_default_outputs

    found = [entry for entry in non_default_outputs(files=files) if names is None or any(n in entry for n in names)]
    if not found:
        return None
    for entry in found[:PROBLEMS_SHOWN]:
        print(f"error: {entry} comes from a run with non-default parameters", file=sys.stderr)
    print(f"{what} publishes default results only: rerun with defaults (`python -m resetlab run`) first, "
          "and give parameterised runs their own --output-dir", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_list(args) -> int:
    from .runner import declared_parameters, notebooks

    for path in notebooks():
        print(path.name)
        declared = declared_parameters(path)
        if not declared:
            print("    (no parameters)")
        for p in declared.values():
            limits = f" [{p.low}..{p.high}]" if (p.low is not None or p.high is not None) and f"[{p.low}.." not in p.help else ""
            limits += f" {{{'|'.join(p.choices)}}}" if p.choices else ""
            print(f"    {p.name:<22} {p.type_name:<6} default {p.default!r:<14} {p.help}{limits}")
    return 0


def cmd_run(args, refresh: bool = False) -> int:
    from . import runner

    selected = runner.resolve(args.notebooks)
    jobs = runner.plan(selected, _parse_params(args.param, args.param_file))
    output_dir, figures_dest = runner.destinations(jobs, Path(args.output_dir) if args.output_dir else None)
    if (refused := _refuse_bad_data()) is not None:
        return refused
    with paths.publishing(paths.NOTEBOOKS) if refresh else contextlib.nullcontext():
        results = runner.run(jobs, workers=args.jobs, output_dir=output_dir, figures_dest=figures_dest)
        failed = [r for r in results if not r.ok]
        if failed:
            print(f"{len(failed)} of {len(results)} notebooks failed; their previous outputs are untouched.", file=sys.stderr)
            return 1
        print(f"executed notebooks in {paths.display(output_dir)}, figures in {paths.display(figures_dest)}"
              + ("" if figures_dest.resolve() == paths.FIGURES.resolve() else " (the committed figures/ are untouched)"))
        if refresh:
            from .book import update_navigation, write_student_copies

            for result in results:
                paths.copy_atomically(result.output, paths.NOTEBOOKS / result.notebook)
            update_navigation()
            write_student_copies()
            print(f"refreshed {len(results)} committed notebooks in {paths.display(paths.NOTEBOOKS)}")
    return 0


def cmd_validate(args) -> int:
    from .validate import validate

    problems = validate(Path(args.data_dir) if args.data_dir else None)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in the data package", file=sys.stderr)
        return 1
    print("data package valid")
    return 0


def cmd_unga(args) -> int:
    from . import data, unga

    if args.download:
        unga.download()
    missing = [name for name in unga.RAW_FILES if not (unga.RAW_DIR / name).exists()]
    if missing:
        print(f"error: raw files missing in {unga.RAW_DIR}: {', '.join(missing)} (run `make unga-raw`)", file=sys.stderr)
        return 1
    for name, (_, checksum) in unga.RAW_FILES.items():
        if unga.sha256(unga.RAW_DIR / name) != checksum:
            print(f"error: {unga.RAW_DIR / name}: checksum differs from the recorded one", file=sys.stderr)
            return 1
    table = unga.rebuild(data.load("unga_coincidence"), unga.coincidence_by_year(unga.read_raw()))
    target = paths.DATA / "unga_coincidence.csv"
    paths.write_atomically(target, table.to_csv(index=False, lineterminator="\n"))
    print(f"wrote {len(table)} years to {target.relative_to(paths.ROOT)}")
    return 0


def cmd_export(args) -> int:
    from .claims import SCORECARD

    if (refused := _refuse_bad_data()) is not None:
        return refused
    given = [Path(args.notebook)] if args.notebook else None
    if (refused := _refuse_non_default("export", None if given else {SCORECARD}, files=given)) is not None:
        return refused
    import json

    import pandas as pd

    from . import claims, data, events

    source = Path(args.notebook) if args.notebook else paths.BUILD / "notebooks" / claims.SCORECARD
    if not source.exists():
        source = paths.NOTEBOOKS / claims.SCORECARD
    result = claims.read_verdicts(source)
    ledger = claims.load_ledger()
    claims_file, reviews = claims.export(result, ledger)
    used = sorted({name for c in ledger for name in claims.RULE_TABLES[c["rule"]]
                   if name in data.resource_names()})
    cited = data.cite(pd.concat([data.load(name)[["source_ids"]] for name in used]))
    claims_file["sources"] = [{"source_id": r.source_id, "title": r.title, "publisher": r.publisher,
                               "url": r.url, "date_accessed": f"{r.date_accessed:%Y-%m-%d}"}
                              for r in cited.itertuples()]
    for name, payload in (("claims.json", claims_file), ("claimreview.jsonld", reviews)):
        text = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        paths.write_atomically(paths.BUILD / name, text)
    tables = {n: data.load(n) for n in ("events", "treaty_events", "sanctions_actions",
                                        "linked_event_codes", "cameo_goldstein")}
    record = events.record(*tables.values())
    quarterly = events.quarterly_table(events.index(record, "quarter"))
    paths.write_atomically(paths.BUILD / "index_quarterly.csv",
                           quarterly.to_csv(index=False, lineterminator="\n"))
    print(f"exported {len(reviews)} claims from {source.relative_to(paths.ROOT)} to build/claims.json "
          f"and build/claimreview.jsonld; {len(quarterly)} quarters to build/index_quarterly.csv")
    return 0


def sweep_sample(small: bool) -> list[dict]:
    """The grid settings the papermill sample reruns: for a quick check, the grid's last setting (it
    departs from the defaults on every dimension); else one in 90 of the grid (12 settings spread
    over every dimension)."""
    from . import claims

    settings = claims.grid()
    if small:
        return settings[-1:]
    return [settings[i] for i in range(89, len(settings), 90)]


def cmd_sweep(args) -> int:
    """Rerun the scorecard with papermill on a sample of the sensitivity grid and check that every
    verdict equals the in-process result for the same setting."""
    from dataclasses import replace

    if (refused := _refuse_bad_data()) is not None:
        return refused
    from . import claims, runner

    scorecard = paths.NOTEBOOKS / claims.SCORECARD
    sample = sweep_sample(args.small)
    jobs = [runner.Job(scorecard, runner.check_parameters(scorecard, {**s, "robustness": False}),
                       f"sweep-{i:02d}.ipynb") for i, s in enumerate(sample)]
    out = paths.BUILD / "sweep"
    results = runner.run(jobs, workers=args.jobs, output_dir=out, figures_dest=out / "figures")
    if any(not r.ok for r in results):
        return 1
    ledger = claims.load_ledger()
    evidence = claims.Evidence(claims.Settings())
    lines, disagreements = ["setting,claim,papermill,in_process,agree"], 0
    for job, overrides in zip(jobs, sample):
        swept = {v["claim_id"]: v["verdict"] for v in claims.read_verdicts(out / job.name)["verdicts"]}
        local = claims.evaluate(replace(claims.Settings(), **overrides), ledger, evidence=evidence)
        for v in local:
            agree = swept[v.claim_id] == v.verdict
            disagreements += not agree
            lines.append(f"{job.name},{v.claim_id},{swept[v.claim_id]},{v.verdict},{agree}")
    paths.write_atomically(out / "sample.csv", "\n".join(lines) + "\n")
    print(f"{len(sample)} sampled settings x {len(ledger)} claims; {disagreements} disagreement(s) "
          f"between papermill and in-process verdicts; table in "
          f"{(out / 'sample.csv').relative_to(paths.ROOT)}")
    return 1 if disagreements else 0


def cmd_students(args) -> int:
    from .book import STUDENTS, write_student_copies

    written = write_student_copies()
    print(f"{len(written)} student notebooks in {STUDENTS.relative_to(paths.ROOT)}/ (cells tagged 'solution' removed, outputs cleared)")
    return 0


def cmd_site(args) -> int:
    if (refused := _refuse_bad_data()) is not None:
        return refused
    if (refused := _refuse_non_default("the site")) is not None:
        return refused
    from . import site

    with paths.publishing(site.SITE, paths.BUILD / "notebooks"):
        chapters = site.build()
    print(f"wrote {len(chapters)} notebook pages, home, gallery, data and teaching pages to {site.SITE.relative_to(paths.ROOT)}/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m resetlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every notebook with its parameters").set_defaults(func=cmd_list)
    for name, helptext in (("run", "execute notebooks into build/notebooks"), ("refresh", "execute with defaults and update the committed notebooks")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("notebooks", nargs="*", help="names or stems (default: all)")
        if name == "run":
            p.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
            p.add_argument("-f", "--param-file", action="append", default=[], metavar="params.yaml")
            p.add_argument("--output-dir", help="where executed notebooks go (default build/notebooks)")
        else:
            p.set_defaults(param=[], param_file=[], output_dir=None)
        p.add_argument("--jobs", type=int, default=os.cpu_count(), help="notebooks run at once (default: CPU count)")
        p.set_defaults(func=cmd_run if name == "run" else lambda a: cmd_run(a, refresh=True))
    sub.add_parser("site", help="build the offline HTML site in build/site/").set_defaults(func=cmd_site)
    sub.add_parser("students", help="write teaching/students/: every chapter without its solution cells").set_defaults(func=cmd_students)
    e = sub.add_parser("export", help="write build/claims.json and build/claimreview.jsonld from the executed scorecard")
    e.add_argument("--notebook", help="executed scorecard (default build/notebooks/, else notebooks/)")
    e.set_defaults(func=cmd_export)
    w = sub.add_parser("sweep", help="rerun the scorecard with papermill on a sample of the sensitivity grid and check it against the in-process verdicts")
    w.add_argument("--small", action="store_true", help="a one-setting sample: the grid's last setting, off the defaults on every dimension (for tests)")
    w.add_argument("--jobs", type=int, default=os.cpu_count())
    w.set_defaults(func=cmd_sweep)
    u = sub.add_parser("unga", help="rebuild data/unga_coincidence.csv from the raw UN voting files")
    u.add_argument("--download", action="store_true", help="download the raw files first (checksums verified)")
    u.set_defaults(func=cmd_unga)
    v = sub.add_parser("validate", help="validate the data package")
    v.add_argument("--data-dir", help="folder holding datapackage.json (default data/)")
    v.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors become one line on stderr and an exit code, never a traceback."""
    from .runner import Interrupted, ParameterError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except paths.Busy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except paths.WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt):
        print("interrupted: running and queued notebooks stopped, their kernels killed; "
              "nothing unfinished was published", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        data = sys.modules.get("resetlab.data")  # not imported up front: pandas is slow to import
        if data is not None and isinstance(exc, data.DataError):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        raise


if __name__ == "__main__":
    sys.exit(main())
