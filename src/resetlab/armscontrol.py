"""Arms-control indicators: each agreement's status over time and how many were in force."""
from __future__ import annotations

import pandas as pd

from . import safe

# Status after each kind of event. Events absent here (announced, ratified, extended, withdrawal_notified)
# change no status: an announcement in particular is recorded apart from the act that takes effect.
STATUS_AFTER = {
    "signed": "signed",
    "entered_into_force": "in_force",
    "suspended": "suspended",
    "deratified": "signed",
    "withdrawal_effective": "ended",
    "expired": "ended",
    "terminated": "ended",
    "denounced": "ended",
    "superseded": "ended",
    "never_entered_into_force": "ended",
}
STATUSES = ["signed", "in_force", "suspended", "ended"]
# Same-day events apply in lifecycle order (an agreement in force on signature is signed first).
EVENT_ORDER = [
    "announced", "signed", "ratified", "deratified", "entered_into_force", "extended", "suspended", "withdrawal_notified",
    "denounced", "withdrawal_effective", "expired", "terminated", "superseded", "never_entered_into_force",
]


def in_lifecycle_order(events: pd.DataFrame) -> pd.DataFrame:
    rank = events["event_type"].map({kind: i for i, kind in enumerate(EVENT_ORDER)})
    return events.assign(_rank=rank).sort_values(["date", "_rank", "event_id"]).drop(columns="_rank")


def status_periods(treaties: pd.DataFrame, events: pd.DataFrame, until: pd.Timestamp) -> pd.DataFrame:
    """One row per (agreement, period) with a constant status; periods are [start, end).

    Periods still open run through `until` inclusive.

    An agreement is 'in_force' from entry into force, 'suspended' once either party suspends it,
    and 'ended' from withdrawal, expiry, termination or supersession, or from a denunciation that
    no later withdrawal follows. Signed but not
    (or no longer) in force is 'signed'. A later event never revives an ended agreement.
    """
    horizon = pd.Timestamp(until) + pd.Timedelta(days=1)
    rows = []
    for treaty_id in treaties["treaty_id"]:
        own = in_lifecycle_order(events[events["treaty_id"] == treaty_id])
        withdrawals = set(own.loc[own["event_type"] == "withdrawal_effective", "party"])
        status, since = None, None
        for _, event in own.iterrows():
            new = STATUS_AFTER.get(event["event_type"])
            if event["event_type"] == "denounced" and event["party"] in withdrawals:
                continue  # the withdrawal that follows ends it
            if new is None or new == status or status == "ended":
                continue
            if new == "suspended" and status != "in_force":
                continue  # only an agreement in force can be suspended
            if status == "suspended" and new in ("in_force", "signed"):
                continue  # a suspension lasts until the agreement ends
            if status is not None and event["date"] > since:
                rows.append((treaty_id, since, event["date"], status))
            status, since = new, event["date"]
        if status is not None and status != "ended" and since < horizon:
            rows.append((treaty_id, since, horizon, status))
    return pd.DataFrame(rows, columns=["treaty_id", "start", "end", "status"])


def status_on(periods: pd.DataFrame, date: pd.Timestamp) -> pd.Series:
    """Status of each agreement on `date` (agreements not yet signed or already ended are absent)."""
    live = periods[(periods["start"] <= date) & (periods["end"] > date)]
    return live.set_index("treaty_id")["status"]


def in_force_by_year(periods: pd.DataFrame, years: range, treaty_ids=None) -> pd.DataFrame:
    """Agreements in force (and, separately, in force but suspended) on 31 December of each year."""
    if treaty_ids is not None:
        periods = periods[periods["treaty_id"].isin(list(treaty_ids))]
    records = []
    for year in years:
        status = status_on(periods, pd.Timestamp(year=year, month=12, day=31))
        records.append({"year": year, "in_force": int((status == "in_force").sum()), "suspended": int((status == "suspended").sum())})
    return pd.DataFrame(records)


def latest_exchange(exchanges: pd.DataFrame, party: str) -> pd.Series:
    """The most recent exchange of `party` that has numbers."""
    own = exchanges[(exchanges["party"] == party) & exchanges["deployed_warheads"].notna()]
    return own.sort_values("as_of_date").iloc[-1]


def in_force_on(periods: pd.DataFrame, date: pd.Timestamp) -> list[str]:
    """Agreements in force (suspended or not) on `date`."""
    status = status_on(periods, date)
    return sorted(status[status.isin(["in_force", "suspended"])].index)


def without_entry_into_force(treaties: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """Agreements with no recorded entry into force nor a record that they never entered it."""
    settled = set(events.loc[events["event_type"].isin(["entered_into_force", "never_entered_into_force"]), "treaty_id"])
    return sorted(set(treaties["treaty_id"]) - settled)


def summary(treaties: pd.DataFrame, events: pd.DataFrame, exchanges: pd.DataFrame, periods: pd.DataFrame, dates: dict) -> dict:
    """Key figures for the chapter's reading, all computed from the tables."""
    names = treaties.set_index("treaty_id")["short_name"]
    bilateral = treaties[treaties["scope"] == "bilateral"].sort_values("signed_date")
    last = bilateral.iloc[-1]
    figures = {
        "agreements": len(treaties),
        "events": len(events),
        "last_bilateral": {"name": last["short_name"], "signed": last["signed_date"]},
        "in_force": {},
    }
    for label, when in dates.items():
        status = status_on(periods, pd.Timestamp(when))
        implemented = sorted(names[t] for t in status[status == "in_force"].index)
        suspended = sorted(names[t] for t in status[status == "suspended"].index)
        # In force and implemented is counted apart from in force but suspended by a party: a
        # suspended treaty is law on paper only.
        figures["in_force"][label] = {
            "date": pd.Timestamp(when),
            "count": len(implemented),
            "names": implemented,
            "suspended": suspended,
        }
    for party in ("US", "RU"):
        row = latest_exchange(exchanges, party)
        figures[f"latest_{party}"] = {
            "date": row["as_of_date"],
            "deployed_warheads": int(row["deployed_warheads"]),
        }
    return figures


def reading(figures: dict, first: str, last: str) -> str:
    """Markdown paragraph comparing the agreements in force on two of the summary's dates."""
    a, b = figures["in_force"][first], figures["in_force"][last]
    ended = sorted(set(a["names"]) - set(b["names"]) - set(b["suspended"]))
    lines = [
        f"- The table holds **{figures['agreements']} agreements** and **{figures['events']} lifecycle events**.",
        f"- On {a['date']:%-d %B %Y} ({first}), **{a['count']}** of them were in force and implemented "
        f"and {len(a['suspended'])} in force but suspended; on {b['date']:%-d %B %Y} ({last}), "
        f"**{b['count']}** in force and implemented and {len(b['suspended'])} suspended.",
    ]
    if ended:
        lines.append(f"- In force and implemented then but not on the later date: {', '.join(safe.md(n) for n in ended)}.")
    if b["suspended"]:
        lines.append(f"- In force on the later date only on paper (suspended by a party): "
                     f"{', '.join(safe.md(n) for n in b['suspended'])}.")
    lines.append(
        f"- The last bilateral agreement in the table, {safe.md(figures['last_bilateral']['name'])}, was signed on "
        f"{figures['last_bilateral']['signed']:%-d %B %Y}; none has been signed since."
    )
    us, ru = figures["latest_US"], figures["latest_RU"]
    lines.append(
        f"- The last published Russian data exchange is as of {ru['date']:%-d %B %Y} ({ru['deployed_warheads']:,} deployed warheads); "
        f"the last U.S. one as of {us['date']:%-d %B %Y} ({us['deployed_warheads']:,})."
    )
    return "\n".join(lines)
