"""Load the data package's tables with the types its schema declares."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths

ID_SEPARATOR = ";"
# Tables the project writes itself (a coding rule, the second coding): they state no outside facts,
# so their rows cite no sources. Every other table's rows must.
PROJECT_TABLES = {"sources", "linked_event_codes", "event_coding_check"}


class DataError(ValueError):
    """A data file cannot be read as its schema says; the message names file, row and column."""

    def __init__(self, message: str, file: str | None = None, row: int | None = None, column: str | None = None, reason: str | None = None):
        super().__init__(message)
        self.file, self.row, self.column, self.reason = file, row, column, reason or message


def descriptor(data_dir: Path | None = None) -> dict:
    path = Path(data_dir or paths.DATA) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read the data package descriptor: {exc}") from exc


def resource(name: str, data_dir: Path | None = None) -> dict:
    for res in descriptor(data_dir)["resources"]:
        if res["name"] == name:
            return res
    raise DataError(f"datapackage.json: no resource named {name!r}")


def resource_names(data_dir: Path | None = None) -> list[str]:
    return [res["name"] for res in descriptor(data_dir)["resources"]]


def _convert(frame: pd.DataFrame, fields: list[dict], path: Path) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for field in fields:
        name, kind = field["name"], field["type"]
        if name not in frame.columns:
            raise DataError(f"{path.name}: column {name!r} declared in datapackage.json is missing", path.name, 1, name, "column missing")
        raw = frame[name].replace("", pd.NA)
        try:
            if kind == "integer":
                out[name] = pd.to_numeric(raw, errors="raise").astype("Int64")
            elif kind == "number":
                out[name] = pd.to_numeric(raw, errors="raise").astype("Float64")
            elif kind == "date":
                out[name] = pd.to_datetime(raw, format="%Y-%m-%d", errors="raise")
            elif kind == "year":
                out[name] = pd.to_numeric(raw, errors="raise").astype("Int64")
            else:
                out[name] = raw.astype("string")
        except (ValueError, TypeError) as exc:
            bad = _first_bad_row(raw, kind)
            raise DataError(f"{path.name}: row {bad}, column {name!r}: not a valid {kind}", path.name,
                            bad if isinstance(bad, int) else None, name, f"not a valid {kind}") from exc
    return out


def _first_bad_row(raw: pd.Series, kind: str) -> int | str:
    for position, value in enumerate(raw, start=2):  # row 1 is the header
        if pd.isna(value):
            continue
        try:
            if kind == "date":
                pd.to_datetime(value, format="%Y-%m-%d")
            else:
                float(value)
        except (ValueError, TypeError):
            return position
    return "?"


@lru_cache(maxsize=64)
def _parse(name: str, file: str, digest: str, raw: bytes, fields_json: str) -> pd.DataFrame:
    import io

    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (spreadsheet export) is accepted
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{file}: row {row}: byte 0x{raw[exc.start]:02x} is not UTF-8", file, row, None, "not UTF-8") from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{file}: cannot be read as CSV: {str(exc).strip().splitlines()[-1]}", file) from None
    return _convert(frame, json.loads(fields_json), Path(file))


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Return table `name` typed by its schema (a fresh copy each call; parsed once per file content)."""
    import hashlib

    data_dir = Path(data_dir or paths.DATA).resolve()
    res = resource(name, data_dir)
    path = data_dir / res["path"]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{res['path']}: cannot read: {exc.strerror}", res["path"]) from exc
    fields = json.dumps(res["schema"]["fields"], sort_keys=True)
    return _parse(name, res["path"], hashlib.sha256(raw).hexdigest(), raw, fields).copy()


def split_ids(value) -> list[str]:
    """Split a source_ids cell into its ids."""
    if value is None or pd.isna(value) or value == "":
        return []
    return [part.strip() for part in str(value).split(ID_SEPARATOR) if part.strip()]


def cite(frame: pd.DataFrame, data_dir: Path | None = None) -> pd.DataFrame:
    """The sources cited by the rows of `frame`, in first-cited order."""
    seen: list[str] = []
    for cell in frame["source_ids"]:
        for source_id in split_ids(cell):
            if source_id not in seen:
                seen.append(source_id)
    sources = load("sources", data_dir).set_index("source_id")
    return sources.loc[seen, ["title", "publisher", "url", "date_accessed"]].reset_index()
