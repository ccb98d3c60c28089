"""Validate the data package: the Frictionless schema first, then the project's semantic rules.

Each problem names the file, the row (as a spreadsheet shows it: the header is row 1) and the column.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import data, paths

DATE_FLOOR = pd.Timestamp("1945-01-01")
DATE_CEILING = pd.Timestamp("2026-12-31")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


def rows(frame: pd.DataFrame):
    """(index, {column: value}) for each row: what `iterrows` gives, in a fraction of the time."""
    columns = list(frame.columns)
    values = zip(*(frame[c].tolist() for c in columns)) if columns else ([] for _ in frame.index)
    return zip(frame.index, (dict(zip(columns, v)) for v in values))


def row_number(index_value: int) -> int:
    """Spreadsheet row of a DataFrame index (0-based, header on row 1)."""
    return int(index_value) + 2


def _column_at(line_prefix: str, header: list[str]) -> str | None:
    """The header name of the field that `line_prefix` (the start of a line) ends inside."""
    fields = next(csv.reader([line_prefix]), [""])
    index = max(len(fields) - 1, 0)
    return header[index] if index < len(header) else None


def file_problems(data_dir: Path) -> list[Problem]:
    """What makes a table unreadable before any schema applies, blamed on that file only.

    Each table must be UTF-8 (a byte-order mark is accepted), end with a newline (a file cut short
    mid-row otherwise passes), carry exactly the declared columns, and have as many fields in every
    row as in its header. Windows line endings are accepted.
    """
    problems: list[Problem] = []
    try:
        resources = data.descriptor(data_dir)["resources"]
    except data.DataError as exc:
        return [Problem("datapackage.json", None, None, str(exc))]
    for res in resources:
        file = res["path"]
        try:
            raw = (data_dir / file).read_bytes()
        except OSError as exc:
            problems.append(Problem(file, None, None, f"cannot read: {exc.strerror}"))
            continue
        key = (json.dumps(res, sort_keys=True), hashlib.sha256(raw).hexdigest())
        if key not in _FILE_CACHE:
            _FILE_CACHE[key] = _table_file_problems(res, raw)
        problems.extend(_FILE_CACHE[key])
    return problems


# Per table, keyed by its declaration and its bytes: checking many copies of the package in which one
# table differs (the bad-input suite) reads each unchanged table once.
_FILE_CACHE: dict[tuple, list[Problem]] = {}


def _table_file_problems(res: dict, raw: bytes) -> list[Problem]:
    file = res["path"]
    problems: list[Problem] = []
    if not raw.strip():
        problems.append(Problem(file, None, None, "empty file: expected a header row and data rows"))
        return problems
    first_line = raw.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r")
    header = next(csv.reader([first_line]), [])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        prefix = raw[line_start:exc.start].decode("utf-8", "replace")
        row = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(file, row, _column_at(prefix, header), f"byte 0x{raw[exc.start]:02x} is not UTF-8 (the file must be UTF-8)"))
        return problems
    text = text.removeprefix("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline="")))
    declared = [f["name"] for f in res["schema"]["fields"]]
    header = records[0]
    for name in header:
        if name not in declared:
            problems.append(Problem(file, 1, name, "unexpected column: datapackage.json does not declare it"))
        elif header.count(name) > 1:
            problems.append(Problem(file, 1, name, "column appears twice in the header"))
    for name in declared:
        if name not in header:
            problems.append(Problem(file, 1, name, "column declared in datapackage.json is missing"))
    for number, record in enumerate(records[1:], start=2):
        if not record:
            problems.append(Problem(file, number, None, "blank row"))
        elif len(record) < len(header):
            problems.append(Problem(file, number, header[len(record)], f"row has {len(record)} fields, the header {len(header)}: cut short or a missing comma"))
        elif len(record) > len(header):
            problems.append(Problem(file, number, None, f"row has {len(record)} fields, the header {len(header)}: an extra comma or an unquoted comma in text"))
    if not text.endswith(("\n", "\r")):
        problems.append(Problem(file, len(records), header[len(records[-1]) - 1] if 0 < len(records[-1]) <= len(header) else None,
                                "no newline at the end of the file: the last row may be cut short"))
    return problems


# Frictionless results per table, keyed by the bytes it reads (its own file and the tables its foreign
# keys look up): validating a package where one table changed re-checks only that table and its referrers.
_SCHEMA_CACHE: dict[tuple, list[Problem]] = {}


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


_PACKAGES: dict[str, object] = {}


def _package(data_dir: Path, descriptor: dict):
    """The Frictionless package of `descriptor`, reading its tables from `data_dir`.

    Building a Package validates the whole descriptor (a quarter of a second); the object is kept
    per descriptor and pointed at each folder in turn, so checking many copies of the same package
    (the bad-input suite) builds it once.
    """
    from frictionless import Package

    key = json.dumps(descriptor, sort_keys=True)
    if key not in _PACKAGES:
        _PACKAGES.clear()
        _PACKAGES[key] = Package(str(data_dir / "datapackage.json"))
    package = _PACKAGES[key]
    for resource in package.resources:
        resource.basepath = str(data_dir)
    return package


@contextlib.contextmanager
def _comma_separated():
    """Every table is comma-separated with double quotes, RFC 4180 (the codebook's rule; `file_problems`
    reads them so). Frictionless would still guess each file's dialect with `csv.Sniffer`, whose
    quote-guessing regular expression backtracks on text full of quotes: ten seconds on tables whose
    every text cell holds quoted markup. Within this block the guess is that fixed dialect."""
    guess = csv.Sniffer.sniff
    csv.Sniffer.sniff = lambda self, sample, delimiters=None: csv.excel
    try:
        yield
    finally:
        csv.Sniffer.sniff = guess


def schema_problems(data_dir: Path) -> list[Problem]:
    from frictionless import system

    problems: list[Problem] = []
    descriptor = data.descriptor(data_dir)
    by_name = {res["name"]: res for res in descriptor["resources"]}
    with system.use_context(trusted=True), _comma_separated():
        package = None
        for res in descriptor["resources"]:
            looked_up = sorted({fk["reference"]["resource"] or res["name"] for fk in res["schema"].get("foreignKeys", [])})
            key = (json.dumps(res, sort_keys=True), _digest(data_dir / res["path"]),
                   tuple((name, json.dumps(by_name.get(name), sort_keys=True), _digest(data_dir / by_name[name]["path"]) if name in by_name else "")
                         for name in looked_up))
            if key not in _SCHEMA_CACHE:
                package = package or _package(data_dir, descriptor)
                report = package.get_resource(res["name"]).validate()
                _SCHEMA_CACHE[key] = [_problem(res, error) for task in report.tasks for error in task.errors]
                _SCHEMA_CACHE[key] += [Problem(res["path"], None, None, error.message) for error in report.errors]
            problems.extend(_SCHEMA_CACHE[key])
    return problems


def _problem(res: dict, error) -> Problem:
    """A Frictionless error as file, row, column: key errors name the key's columns."""
    column = getattr(error, "field_name", None)
    if not column and getattr(error, "field_names", None):
        column = "+".join(error.field_names)
    if not column and error.type in ("primary-key", "primary-key-error"):
        column = "+".join(res["schema"].get("primaryKey", []))
    return Problem(res["path"], getattr(error, "row_number", None), column or None, error.message)


# --- semantic rules: each takes the typed tables and yields problems -----------------------------

SemanticRule = Callable[[dict[str, pd.DataFrame]], Iterable[Problem]]
RULES: list[tuple[tuple[str, ...], SemanticRule]] = []


def rule(*needs: str) -> Callable[[SemanticRule], SemanticRule]:
    """Register a semantic rule that runs when the tables it needs are in the package."""

    def register(func: SemanticRule) -> SemanticRule:
        RULES.append((needs, func))
        return func

    return register


@rule("sources")
def sources_resolve(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    known = set(tables["sources"]["source_id"])
    cited: set[str] = set()
    for name, frame in tables.items():
        if "source_ids" not in frame.columns:
            continue
        for index, cell in frame["source_ids"].items():
            for source_id in data.split_ids(cell):
                cited.add(source_id)
                if source_id not in known:
                    yield Problem(f"{name}.csv", row_number(index), "source_ids", f"unknown source id {source_id!r}")
    for index, source_id in tables["sources"]["source_id"].items():
        if source_id not in cited:
            yield Problem("sources.csv", row_number(index), "source_id", f"source {source_id!r} is cited by no row")


@rule("sources")
def sources_dates(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    frame = tables["sources"]
    published = frame["date_published"].astype("string")  # YYYY, YYYY-MM or YYYY-MM-DD: compared as text
    late = published.notna() & (published > frame["date_accessed"].dt.strftime("%Y-%m-%d"))
    for index in frame.index[late.fillna(False).to_numpy(dtype=bool)]:
        yield Problem("sources.csv", row_number(index), "date_published", "published after it was accessed")


@rule()
def dates_in_range(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    for name, frame in tables.items():
        for column in frame.columns:
            if not pd.api.types.is_datetime64_any_dtype(frame[column]) or name == "sources":
                continue
            outside = frame[(frame[column] < DATE_FLOOR) | (frame[column] > DATE_CEILING)]
            for index, value in outside[column].items():
                yield Problem(f"{name}.csv", row_number(index), column, f"date {value:%Y-%m-%d} outside {DATE_FLOOR:%Y}-{DATE_CEILING:%Y}")


@rule()
def dates_match_precision(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    for name, frame in tables.items():
        if "date_precision" not in frame.columns:
            continue
        precision, date = frame["date_precision"], frame["date"]
        not_first = precision.isin(["month", "year"]) & (date.dt.day != 1)
        not_january = (precision == "year") & (date.dt.month != 1)
        for index in frame.index[(not_first | not_january).fillna(False).to_numpy(dtype=bool)]:
            if not_first[index]:
                yield Problem(f"{name}.csv", row_number(index), "date", f"{precision[index]}-precision date must be the 1st")
            if not_january[index]:
                yield Problem(f"{name}.csv", row_number(index), "date", "year-precision date must be 1 January")


# The order in which an agreement's life can unfold, per party. Events of the same rank may come
# in any order; an event may never follow one of a later rank, and nothing follows an ending.
LIFECYCLE_RANK = {
    "signed": 0,
    "ratified": 1,
    "deratified": 2,
    "entered_into_force": 2,
    "extended": 3,
    "suspended": 3,
    "withdrawal_notified": 3,
    "denounced": 3,
    "withdrawal_effective": 4,
    "expired": 4,
    "terminated": 4,
    "superseded": 4,
    "never_entered_into_force": 4,
}
# Denunciation is the domestic act; withdrawal takes effect later (or at once, where no withdrawal
# event follows, as with Russia's 2025 denunciation of the plutonium agreement).
ENDINGS = {"withdrawal_effective", "expired", "terminated", "superseded", "never_entered_into_force"}


@rule("treaties", "treaty_events")
def treaty_lifecycles(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    from .armscontrol import in_lifecycle_order

    signed_on = dict(zip(tables["treaties"]["treaty_id"], tables["treaties"]["signed_date"]))
    by_treaty: dict[str, list] = {}
    for index, row in rows(in_lifecycle_order(tables["treaty_events"])):
        by_treaty.setdefault(row["treaty_id"], []).append((index, row))
    for treaty_id, group in sorted(by_treaty.items()):
        if treaty_id not in signed_on:
            continue  # the foreign key check reports it
        signed = signed_on[treaty_id]
        signings = [(row["date"], index) for index, row in group if row["event_type"] == "signed"]
        if not signings:
            yield Problem("treaty_events.csv", row_number(group[0][0]), "event_type", f"{treaty_id}: no 'signed' event")
        else:
            first_date, index = min(signings, key=lambda signing: signing[0])  # the first of equal dates, in lifecycle order
            if first_date != signed:
                yield Problem("treaty_events.csv", row_number(index), "date", f"{treaty_id}: signing date differs from treaties.csv ({signed:%Y-%m-%d})")
        ended_at: dict[str, pd.Timestamp] = {}
        last_rank: dict[str, int] = {}
        for index, row in group:
            kind, party, date = row["event_type"], row["party"], row["date"]
            if date < signed:
                yield Problem("treaty_events.csv", row_number(index), "date", f"{treaty_id}: {kind} before signature")
            actors = {"US", "RU", "USSR"} if party == "both" else {party}
            for actor in actors | {"both"}:
                if actor in ended_at and date > ended_at[actor] and kind not in ("denounced", "terminated", "superseded", "expired"):
                    yield Problem("treaty_events.csv", row_number(index), "event_type", f"{treaty_id}: {kind} after the agreement ended for {actor}")
                    break
            if kind == "announced":
                continue  # a statement of intent may come at any stage; it changes no stage
            rank = LIFECYCLE_RANK[kind]
            if rank < last_rank.get(party, -1) and kind not in ("signed", "ratified"):
                yield Problem("treaty_events.csv", row_number(index), "event_type", f"{treaty_id}: {kind} cannot follow a later stage for {party}")
            last_rank[party] = max(last_rank.get(party, -1), rank)
            if kind in ENDINGS:
                ended_at.setdefault(party, date)


NEW_START_LIMITS = {"deployed_launchers": 700, "deployed_warheads": 1550, "total_launchers": 800}
NEW_START_LIMITS_DATE = pd.Timestamp("2018-02-05")


@rule("new_start_exchanges")
def new_start_bounds(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    frame = tables["new_start_exchanges"]
    for index, row in rows(frame):
        if pd.notna(row["deployed_launchers"]) and pd.notna(row["total_launchers"]) and row["deployed_launchers"] > row["total_launchers"]:
            yield Problem("new_start_exchanges.csv", row_number(index), "deployed_launchers", "more deployed launchers than launchers in all")
        if pd.notna(row["deployed_launchers"]) and pd.notna(row["deployed_warheads"]) and row["deployed_warheads"] < row["deployed_launchers"]:
            yield Problem("new_start_exchanges.csv", row_number(index), "deployed_warheads", "fewer warheads than deployed launchers")
        for column, limit in NEW_START_LIMITS.items():
            value = row[column]
            # Before the limits applied, counts stay within START I's ceilings: a physical sanity bound.
            bound = limit if row["as_of_date"] >= NEW_START_LIMITS_DATE else 6000
            if pd.notna(value) and value > bound:
                yield Problem("new_start_exchanges.csv", row_number(index), column, f"{value} exceeds {bound}")
        if all(pd.isna(row[c]) for c in NEW_START_LIMITS) and pd.isna(row["note"]):
            yield Problem("new_start_exchanges.csv", row_number(index), "note", "a row with no numbers must say why in its note")


def load_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: data.load(name, data_dir) for name in data.resource_names(data_dir)}


_RESULTS: dict[tuple, list[Problem]] = {}


def validate(data_dir: Path | None = None) -> list[Problem]:
    """All problems in the data package; an empty list means it is valid.

    The answer is kept per content (the descriptor and every table's bytes), so a second call on
    unchanged data in the same process (`run` after `validate`) costs only the hashing.
    """
    data_dir = Path(data_dir or paths.DATA)
    names = sorted(p.name for p in data_dir.iterdir() if p.is_file()) if data_dir.is_dir() else []
    key = tuple((name, _digest(data_dir / name)) for name in names)
    if key not in _RESULTS:
        _RESULTS.clear()  # one package at a time is enough
        if data_dir.resolve() == (paths.ROOT / "data").resolve():
            # The project's own data: the verdict is also kept in build/cache/, so `run`, `export` and
            # `site` after `validate` (and any later run on unchanged data) skip Frictionless.
            from . import cache

            stored = cache.fetch(cache.key("validate", key, ("frictionless",)),
                                 lambda: [astuple(p) for p in _validate(data_dir)])
            _RESULTS[key] = [Problem(*p) for p in stored]
        else:
            _RESULTS[key] = _validate(data_dir)
    return list(_RESULTS[key])


def _validate(data_dir: Path) -> list[Problem]:
    problems = file_problems(data_dir) or schema_problems(data_dir)
    if problems:
        return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
    try:
        tables = load_tables(data_dir)
    except data.DataError as exc:
        return [Problem(exc.file or "datapackage.json", exc.row, exc.column, exc.reason)]
    found: list[Problem] = []
    for needs, check in RULES:
        if all(name in tables for name in needs):
            found.extend(check(tables))
    return sorted(set(found), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def quad_of(code: str) -> int:
    """Quad class of a CAMEO code from its two-digit root."""
    root = int(str(code)[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


@rule("cameo_goldstein")
def cameo_quads(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    for index, row in rows(tables["cameo_goldstein"]):
        if row["quad_class"] != quad_of(row["cameo_code"]):
            yield Problem("cameo_goldstein.csv", row_number(index), "quad_class", f"code {row['cameo_code']} belongs to quad {quad_of(row['cameo_code'])}")


EVENTS_START, EVENTS_END = pd.Timestamp("2007-01-01"), pd.Timestamp("2026-12-31")


@rule("events", "cameo_goldstein")
def events_coded_by_the_table(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    table = tables["cameo_goldstein"].drop_duplicates("cameo_code").set_index("cameo_code")
    events = tables["events"]
    known = events["cameo_code"].isin(table.index)  # an unknown code is the foreign key check's to report
    weight = events["cameo_code"].map(table["goldstein"])
    quad = events["cameo_code"].map(table["quad_class"])
    wrong_weight = known & (events["goldstein"] != weight)
    wrong_quad = known & (events["quad_class"] != quad)
    outside = known & ~events["date"].between(EVENTS_START, EVENTS_END)
    same_sides = known & (events["actor"] == events["target"])
    flagged = (wrong_weight | wrong_quad | outside | same_sides).fillna(False).to_numpy(dtype=bool)
    for index in events.index[flagged]:
        code = events.at[index, "cameo_code"]
        if wrong_weight[index]:
            yield Problem("events.csv", row_number(index), "goldstein", f"code {code} weighs {weight[index]}, not {events.at[index, 'goldstein']}")
        if wrong_quad[index]:
            yield Problem("events.csv", row_number(index), "quad_class", f"code {code} is quad {quad[index]}")
        if outside[index]:
            yield Problem("events.csv", row_number(index), "date", f"outside {EVENTS_START:%Y-%m-%d} to {EVENTS_END:%Y-%m-%d}")
        if same_sides[index]:
            yield Problem("events.csv", row_number(index), "target", "actor and target are the same")


@rule("events", "event_coding_check")
def coding_check_resolved(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    final = tables["events"].set_index("event_id")["cameo_code"]
    for index, row in rows(tables["event_coding_check"]):
        if row["event_id"] not in final.index:
            continue
        same = row["first_code"] == row["second_code"]
        expected = {"agreed": row["first_code"], "kept_first": row["first_code"], "adopted_second": row["second_code"]}[row["resolution"]]
        if same != (row["resolution"] == "agreed"):
            yield Problem("event_coding_check.csv", row_number(index), "resolution", "'agreed' exactly when both codes are equal")
        if final[row["event_id"]] != expected:
            yield Problem("event_coding_check.csv", row_number(index), "resolution", f"events.csv has {final[row['event_id']]}, the resolution gives {expected}")
        if not same and pd.isna(row["reason"]):
            yield Problem("event_coding_check.csv", row_number(index), "reason", "a resolved disagreement needs its reason")


@rule("linked_event_codes")
def linked_kinds_exist(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    from .data import resource

    for index, row in rows(tables["linked_event_codes"]):
        column = "event_type" if row["table"] == "treaty_events" else "instrument"
        fields = {f["name"]: f for f in resource(row["table"])["schema"]["fields"]}
        if row["kind"] not in fields[column]["constraints"]["enum"]:
            yield Problem("linked_event_codes.csv", row_number(index), "kind", f"{row['kind']!r} is not a {row['table']}.{column} value")


@rule("sanctions_actions")
def sanctions_between_the_two(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    for index, row in rows(tables["sanctions_actions"]):
        if row["imposer"] == row["target"]:
            yield Problem("sanctions_actions.csv", row_number(index), "target", "imposer and target are the same")


COUNCIL_SIZE = 15
PERMANENT = ["us_vote", "ru_vote", "cn_vote", "uk_vote", "fr_vote"]


@rule("unsc_votes")
def council_tallies(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    for index, row in rows(tables["unsc_votes"]):
        tally = [row["yes"], row["no"], row["abstain"]]
        if any(pd.isna(v) for v in tally):
            if pd.isna(row["note"]):
                yield Problem("unsc_votes.csv", row_number(index), "yes", "a missing tally must be explained in note")
            continue
        if sum(tally) != COUNCIL_SIZE and "not participat" not in str(row["note"]).lower():
            yield Problem("unsc_votes.csv", row_number(index), "yes", f"tally {sum(tally)} does not add up to {COUNCIL_SIZE}")
        p5 = [row[c] for c in PERMANENT]
        vetoed = "N" in p5
        if row["outcome"] == "vetoed" and not vetoed:
            yield Problem("unsc_votes.csv", row_number(index), "outcome", "vetoed, but no permanent member voted no")
        if row["outcome"] == "adopted" and (vetoed or row["yes"] < 9):
            yield Problem("unsc_votes.csv", row_number(index), "outcome", "adopted needs nine votes and no permanent member against")
        if row["outcome"] == "failed" and row["yes"] >= 9 and not vetoed:
            yield Problem("unsc_votes.csv", row_number(index), "outcome", "failed with nine or more votes and no veto")


@rule("third_party_ties")
def values_have_units(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    for index, row in rows(tables["third_party_ties"]):
        if pd.notna(row["value"]) and pd.isna(row["unit"]):
            yield Problem("third_party_ties.csv", row_number(index), "unit", "a value needs its unit")


@rule("sanctions_actions")
def designation_parts_within_total(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    # The split is optional, but where it is given it may never exceed the round's total.
    for index, row in rows(tables["sanctions_actions"]):
        total = row["n_designated"]
        parts = [row[c] for c in ("n_individuals", "n_entities") if pd.notna(row[c])]
        if pd.notna(total) and parts and sum(parts) > total:
            yield Problem("sanctions_actions.csv", row_number(index), "n_individuals",
                          f"individuals + entities ({sum(parts):g}) exceed n_designated ({total:g})")


def _precision_problems(file: str, index: int, date, precision, date_column: str) -> Iterable[Problem]:
    """A month- or year-precision date is written as the 1st of the month or 1 January."""
    if pd.isna(date) or pd.isna(precision):
        return
    if precision in ("month", "year") and date.day != 1:
        yield Problem(file, row_number(index), date_column, f"{precision}-precision date must be the 1st")
    if precision == "year" and date.month != 1:
        yield Problem(file, row_number(index), date_column, "year-precision date must be 1 January")


@rule("rapprochement_episodes")
def episodes_consistent(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    file = "rapprochement_episodes.csv"
    for index, row in rows(tables["rapprochement_episodes"]):
        yield from _precision_problems(file, index, row["start_date"], row["start_precision"], "start_date")
        yield from _precision_problems(file, index, row["end_date"], row["end_precision"], "end_date")
        listed = [item for item in str(row["deliverables"]).split(";") if item.strip()]
        if row["n_deliverables"] != len(listed):
            yield Problem(file, row_number(index), "n_deliverables", f"says {row['n_deliverables']}, deliverables lists {len(listed)}")
        if pd.isna(row["end_date"]) != pd.isna(row["end_precision"]):
            yield Problem(file, row_number(index), "end_precision", "end_precision is filled exactly when end_date is")
        if pd.isna(row["end_date"]) != pd.isna(row["ended_by"]):
            yield Problem(file, row_number(index), "ended_by", "ended_by is filled exactly when end_date is")
        if pd.isna(row["end_date"]) and pd.isna(row["note"]):
            yield Problem(file, row_number(index), "note", "an open episode must say in its note why it has no end")
        if pd.notna(row["end_date"]) and row["end_date"] < row["start_date"]:
            yield Problem(file, row_number(index), "end_date", "ends before it starts")


@rule("engagement_ledger_2025")
def ledger_consistent(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    file = "engagement_ledger_2025.csv"
    for index, row in rows(tables["engagement_ledger_2025"]):
        if not str(row["item_id"]).startswith(f"lg-{row['date']:%Y-%m-%d}-"):
            yield Problem(file, row_number(index), "item_id", "the id must carry the row's date")
        if row["date"] < pd.Timestamp("2025-01-01"):
            yield Problem(file, row_number(index), "date", "the ledger starts in 2025")


@rule("events")
def release_counts_on_exchanges(tables: dict[str, pd.DataFrame]) -> Iterable[Problem]:
    """Release counts belong to prisoner exchanges only."""
    frame = tables["events"]
    if "released_by_us" not in frame.columns:
        return
    for index, row in rows(frame):
        counted = pd.notna(row["released_by_us"]) or pd.notna(row["released_by_ru"])
        if counted and row["category"] != "prisoner_exchange":
            yield Problem("events.csv", row_number(index), "released_by_us", "release counts are for prisoner exchanges only")
