"""U.S.-Russia voting coincidence in the UN General Assembly, from Erik Voeten's roll-call data.

The raw files (the dgrtwo/unvotes R package's data, which carries Voeten's data set) are downloaded
by `make unga-raw` into raw/ (not committed) and checked against the SHA-256 sums below;
`python -m resetlab unga` then rebuilds data/unga_coincidence.csv. Without the raw files the
notebooks use the committed table.
"""
from __future__ import annotations

import hashlib
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from . import paths

COMMIT = "7eb7034314ff79c49c9e0785fcd9d216fa04cf14"
RAW_FILES = {
    "un_votes.rda": ("https://raw.githubusercontent.com/dgrtwo/unvotes/{commit}/data/un_votes.rda",
                     "cf814a48bc536e8f87f8e027942ac515fe6aae9d63cd71dd88ed718b14887e87"),
    "un_roll_calls.rda": ("https://raw.githubusercontent.com/dgrtwo/unvotes/{commit}/data/un_roll_calls.rda",
                          "ff2070ae600cfd32176c6d149637306b9b677d6b910f48bec59a15357d673b4b"),
}
RAW_DIR = paths.ROOT / "raw" / "unvotes"
CAST = ("yes", "no", "abstain")
FIRST_YEAR = 1992
# The data's single 2020 roll call (14 January 2020) belongs to the 2019 session; a one-vote year is not reported.
MIN_ROLL_CALLS = 10


def percent(numerator: float, denominator: float) -> float:
    """Percentage rounded half up to one decimal (NaN for an empty denominator)."""
    if not denominator:
        return float("nan")
    return float(Decimal(repr(100 * numerator / denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def coincidence_by_year(votes: pd.DataFrame) -> pd.DataFrame:
    """Per year, from rows (year, rcid, country US/RU, vote yes/no/abstain/absent).

    A roll call counts only when both cast yes, no or abstain. `coincidence_pct` follows the State
    Department: identical yes/no votes over identical plus opposite yes/no votes (abstentions left
    out). `coincidence_abst_half_pct`: identical votes (both abstaining included) plus half the votes
    where exactly one abstained, over all roll calls counted.
    """
    cast = votes[votes["country"].isin(["US", "RU"]) & votes["vote"].isin(CAST)]
    wide = cast.pivot_table(index=["year", "rcid"], columns="country", values="vote", aggfunc="first").dropna(subset=["US", "RU"])
    us, ru = wide["US"], wide["RU"]
    flags = pd.DataFrame({
        "identical": us == ru,
        "both_abstain": (us == "abstain") & (ru == "abstain"),
        "opposite": ((us == "yes") & (ru == "no")) | ((us == "no") & (ru == "yes")),
        "one_abstains": (us == "abstain") ^ (ru == "abstain"),
    }).astype(int)
    out = flags.groupby(level="year").sum()
    out.insert(0, "roll_calls", flags.groupby(level="year").size())
    same_yes_no = out["identical"] - out["both_abstain"]
    out["coincidence_pct"] = [percent(s, s + o) for s, o in zip(same_yes_no, out["opposite"])]
    out["coincidence_abst_half_pct"] = [percent(i + 0.5 * a, n) for i, a, n in zip(out["identical"], out["one_abstains"], out["roll_calls"])]
    return out.drop(columns="both_abstain").reset_index()


def read_raw(folder: Path = RAW_DIR) -> pd.DataFrame:
    """U.S. and Russian votes from the raw .rda files, one row per (roll call, country)."""
    import pyreadr

    votes = pyreadr.read_r(str(folder / "un_votes.rda"))["un_votes"]
    calls = pyreadr.read_r(str(folder / "un_roll_calls.rda"))["un_roll_calls"]
    votes = votes[votes["country_code"].isin(["US", "RU"])]
    years = calls.assign(year=pd.to_datetime(calls["date"]).dt.year, rcid=calls["rcid"].astype(int))[["rcid", "year"]]
    votes = votes.assign(rcid=votes["rcid"].astype(int), vote=votes["vote"].astype(str), country=votes["country_code"])
    return votes.merge(years, on="rcid")[["year", "rcid", "country", "vote"]]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def download(folder: Path = RAW_DIR) -> list[Path]:
    """Fetch the raw files once and refuse any whose checksum differs from the recorded one."""
    folder.mkdir(parents=True, exist_ok=True)
    got = []
    for name, (url, checksum) in RAW_FILES.items():
        target = folder / name
        if not target.exists():
            tmp = target.with_suffix(".part")
            urllib.request.urlretrieve(url.format(commit=COMMIT), tmp)
            tmp.replace(target)
        if sha256(target) != checksum:
            raise ValueError(f"{target}: SHA-256 differs from the recorded {checksum}; delete it and download again")
        got.append(target)
    return got


def rebuild(committed: pd.DataFrame, computed: pd.DataFrame) -> pd.DataFrame:
    """The committed table's sources and notes with freshly computed counts, years with enough votes."""
    computed = computed[(computed["year"] >= FIRST_YEAR) & (computed["roll_calls"] >= MIN_ROLL_CALLS)]
    keep = committed.set_index("year")[["source_ids", "note"]]
    return computed.set_index("year").join(keep).reset_index()
