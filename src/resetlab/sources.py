"""What kind of source each cited page is, decided by its web address, and how much each table rests on.

The rule (stated in the codebook):

- primary: the acting government or body speaking for itself: government sites (.gov, .mil and the
  listed foreign ministries and presidencies), the UN and other treaty bodies, depositaries, and the
  pollsters' own release pages;
- reference: research institutes, the Congressional Research Service, data sets and the repositories
  that hold them, reference works;
- news: news agencies, papers, broadcasters and magazines (the default for a domain not listed);
- secondary: reposts and mirrors, aggregators, blogs, law-firm and compliance alerts, document-sharing
  sites.

A copy read through a mirror keeps the mirror as `url` and records in `original_url` the official
address the copy itself names; its kind is then the kind of `original_url` (a State Department fact
sheet stays a State Department fact sheet wherever it was read). Without `original_url` a mirror
counts as what the mirror host is.
"""
from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

KINDS = ("primary", "reference", "news", "secondary")
STRONG_KINDS = frozenset({"primary", "reference"})

# Suffixes and hosts whose pages are official records. A host matches itself and its subdomains.
PRIMARY_SUFFIXES = (".gov", ".mil", ".gov.ru", ".gov.uk", ".gouv.fr")
PRIMARY_HOSTS = frozenset({
    # United Nations, treaty bodies, depositaries, other governments
    "un.org", "ctbto.org", "osce.org", "nato.int", "europa.eu", "iaea.org", "verdragen.nl", "bmvg.de",
    "mae.lu", "newyork-un.mae.lu",
    # official channels on other hosts: the Defense Department's media service, the Treasury's
    # and other agencies' e-mail bulletins
    "dvidshub.net", "content.govdelivery.com",
    # Russian presidency, government and foreign ministry
    "kremlin.ru", "mid.ru", "government.ru", "russianembassy.org",
    # pollsters' own release pages
    "gallup.com", "pewresearch.org", "levada.ru",
})
# Official domains whose pages are nonetheless reference work by the rule (CRS).
REFERENCE_OVERRIDES = frozenset({"crsreports.congress.gov"})
REFERENCE_HOSTS = frozenset({
    # research institutes and specialist trackers
    "armscontrol.org", "nti.org", "fas.org", "sipri.org", "cnas.org", "cfr.org", "csis.org", "acronym.org.uk",
    "russianforces.org", "nonproliferation.org", "iranwatch.org", "hsdl.org", "russiamatters.org",
    "valdaiclub.com", "pacforum.org", "brookings.edu", "carnegieendowment.org", "rand.org", "iiss.org",
    "ifw-kiel.de", "securitycouncilreport.org", "asil.org", "nuclearfiles.org",
    # CRS, archives of official papers, scholarly databases and journals
    "everycrsreport.com", "presidency.ucsb.edu", "doi.org", "ciaonet.org", "ciaotest.cc.columbia.edu",
    "cambridgecore.org", "cambridge.org", "base.garant.ru",
    # data sets and the repositories that hold them
    "github.com", "dataverse.harvard.edu",
    # reference works
    "wikipedia.org", "wikisource.org",
    # legal and trade-policy databases
    "cis-legislation.com", "globaltradealert.org",
})
SECONDARY_HOSTS = frozenset({
    # mirrors, reposts, press-release redistribution and document-sharing sites
    "globalsecurity.org", "einpresswire.com", "scoop.co.nz", "yubanet.com", "law.hukuki.net", "icl.center",
    "idw-online.de", "rustocks.com", "fdocuments.in", "studylib.net", "docslib.org", "federal.elaws.us",
    "regulations.justia.com", "regulations.vlex.com", "webarchive.library.unt.edu", "archive.org",
    "archive.is", "unscr.com", "newssniffer.co.uk", "latinamericanstudies.org", "miragenews.com",
    "sputnikmediabank.com", "wikimili.com", "everything.explained.today", "memim.com", "thoughtco.com",
    "radiochemistry.org", "mapsofworld.com", "issuhub.com", "derechos.org", "x-mol.com",
    # aggregators and content farms
    "menafn.com", "news-pravda.com", "russialist.org", "bignewsnetwork.com", "news.yahoo.com",
    "devdiscourse.com", "pledgetimes.com", "tellerreport.com", "politicit.com", "stl.news", "wenewsenglish.com",
    "globaldefence.net", "sauress.com", "freenews-en.tk", "newsbreak.com", "us.headtopics.com", "exbulletin.com",
    "daily8.com", "newser.com", "news-front.info", "news-front.su", "newslines.org", "newsofamerica.org",
    "newssummedup.com", "newstime365.in", "newsworld.co", "ru24.net", "ru24.pro", "thenewsdesk.xyz",
    "viralworldnews.co.uk", "megalopoles.online", "spacewar.com", "eurasiareview.com", "onlytrusted.news",
    "onlytrustedinfo.com", "socialnews.xyz", "newsofasia.net", "travel-impact-newswire.com", "jdshdq.com",
    "keyidianji.com", "aolaikelin.cn", "lidtime.com", "livenewschat.eu", "newsconquest.com", "planetchronicle.net",
    "toplentanews.ru", "newsarenaindia.com", "dailywrap.net", "arabtelegraph.com", "essanews.com",
    "chattythat.news", "phnotes.com", "politicalwire.com", "intltravelnews.com", "highergroundtimes.com",
    "breakingnews.gaeatimes.com", "newsvine.com", "prostoreroom.com", "arcadiadental.info", "oksitoys.com",
    "nowina.biz", "bunatimes.com", "bizpodia.com", "globebanner.com", "vastavamtv.com", "voiceofurdu.com",
    "thetrentonline.com", "ylcountry.com", "ooduarere.com", "news.k4s.uk", "internationalnews-greece.com",
    "russia-news.us", "en.hdhod.com", "airutopia.com", "americasvoice.news", "empireonline.media",
    "europediplomatic.com", "liveindia.tv", "mangalorean.com", "newstracklive.com", "sovereignph.com",
    "speir.tv", "thesaxon.org", "noqreport.com", "minuteman-militia.com", "uscybersecurity.net",
    "warsawpoint.com", "handofmoscow.com", "gost-expert.com", "executivedisorder.net", "rzn.info",
    "xn----ctbbeojrgnkbddb9agk.xn--p1ai", "thefederalregister.org", "executiveactions.org",
    "d1tvxue8o4w0fl.cloudfront.net", "scribd.com", "documentcloud.org", "pressreader.com", "scholar.lib.vt.edu",
    "eleousa.net", "klove.com", "legion.org", "insightonlinenews.in", "nikiinews.com", "oolanews.com", "troib.com",
    "thepoliticreview.com", "urdupoint.com", "noticiaslatam.lat", "bairdmaritime.com",
    # blogs, forums, podcasts, advocacy and opinion sites
    "blogspot.com", "wordpress.com", "wixsite.com", "ucoz.ru", "libsyn.com", "where-el.se", "hotair.com",
    "crooksandliars.com", "dailykos.com", "eaworldview.com", "news.antiwar.com", "larouchepub.com",
    "schillerinstitut.dk", "eir.news", "michaelsavage.com", "townhall.com", "windowstorussia.com",
    "rusreality.com", "armenianclub.com", "overclockers.ru", "ottawamenscentre.com", "space4peace.org",
    "nofirstuse.global", "bcfausa.org", "missiledefenseadvocacy.org", "usaengage.org", "russianamerican.org",
    "russianamericanbusiness.org", "indiandiplomacy.org", "mirvboge.ru", "strogosekretno.com",
    "foxnewsinsider.com", "military-quotes.com", "strategicstudyindia.com", "muslimpress.com", "shahbapress.net",
    "russia-ic.com", "asianlite.com", "lavalari.com", "k1053.com",
    # law-firm and compliance alerts
    "lexology.com", "mondaq.com", "jdsupra.com", "lexblog.com", "thompsonhinesmartrade.com",
    "complianceconcourse.willkie.com", "internationaltradeinsights.com", "steptoeinternationalcomplianceblog.com",
    "visualcompliance.com", "globaltradeandsanctionslaw.com", "europeansanctions.com", "arnoldporter.com",
    "buckleyfirm.com", "cassidylevy.com", "crowell.com", "davispolk.com", "dechert.com", "diazreus.com",
    "enr-law.com", "gibsondunn.com", "k2integrity.com", "morganlewis.com", "plnmw.com", "reedsmith.com",
    "schmidt-export.de", "sewkis.com", "squirepattonboggs.com", "whitecase.com", "nplaw.ru",
    "nortonrosefulbright.com", "sanctionsnews.bakermckenzie.com",
})


def host(url: str) -> str:
    """The lower-case host of `url` without port, trailing dot or leading 'www.'."""
    name = (urlparse(str(url)).hostname or "").rstrip(".")
    return name.removeprefix("www.")


def _matches(name: str, hosts: frozenset[str]) -> bool:
    parts = name.split(".")
    return any(".".join(parts[i:]) in hosts for i in range(len(parts)))


def kind_for_url(url: str) -> str:
    """Kind of the page at `url` by the rule in this module's docstring."""
    name = host(url)
    if not name:
        raise ValueError(f"no host in source address {url!r}")
    if _matches(name, REFERENCE_OVERRIDES):
        return "reference"
    if name.endswith(PRIMARY_SUFFIXES) or _matches(name, PRIMARY_HOSTS):
        return "primary"
    if _matches(name, REFERENCE_HOSTS):
        return "reference"
    if _matches(name, SECONDARY_HOSTS):
        return "secondary"
    return "news"


def kind_for(url: str, original_url: str | None = None) -> str:
    """Kind of a source: what the copy is (its `original_url`) when one is recorded, else its `url`."""
    if original_url is not None and not pd.isna(original_url) and str(original_url).strip():
        return kind_for_url(str(original_url))
    return kind_for_url(url)


def expected_kinds(sources: pd.DataFrame) -> pd.Series:
    """The rule's kind for every row of sources.csv, indexed like it."""
    originals = sources["original_url"] if "original_url" in sources else pd.Series(None, index=sources.index)
    return pd.Series([kind_for(u, o) for u, o in zip(sources["url"], originals)], index=sources.index, dtype="string")


def _cited_ids(cell) -> list[str]:
    if cell is None or pd.isna(cell):
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def strong_share(tables: dict[str, pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """Per table (and over all of them), how many rows cite at least one primary or reference source.

    `tables` maps table names to frames with a `source_ids` column; the result has one row per table,
    in name order, then 'all tables', with columns rows, strong_rows and share_pct (rounded to a whole
    percent).
    """
    kind_of = dict(zip(sources["source_id"], sources["kind"]))
    records = []
    for name in sorted(tables):
        cited = tables[name]["source_ids"].map(_cited_ids)
        strong = cited.map(lambda ids: any(kind_of.get(i) in STRONG_KINDS for i in ids))
        records.append({"table": f"{name}.csv", "rows": len(cited), "strong_rows": int(strong.sum())})
    total = {"table": "all tables", "rows": sum(r["rows"] for r in records), "strong_rows": sum(r["strong_rows"] for r in records)}
    frame = pd.DataFrame([*records, total])
    frame["share_pct"] = (100 * frame["strong_rows"] / frame["rows"]).round().astype(int)
    return frame


def share_table_markdown(shares: pd.DataFrame) -> str:
    """The shares as the Markdown table the codebook prints."""
    lines = ["| table | rows | citing primary or reference | share |", "| --- | ---: | ---: | ---: |"]
    for row in shares.itertuples(index=False):
        lines.append(f"| {row.table} | {row.rows} | {row.strong_rows} | {row.share_pct}% |")
    return "\n".join(lines)


def package_shares() -> pd.DataFrame:
    """Shares for every table of the committed package that cites sources."""
    from . import data

    names = [n for n in data.resource_names() if n not in data.PROJECT_TABLES]
    tables = {n: data.load(n) for n in names}
    return strong_share(tables, data.load("sources"))


def coverage(frame: pd.DataFrame) -> tuple[str, str] | None:
    """First and last dated row of a table, as text: its first date column (YYYY-MM-DD), else its
    `year` column (YYYY); None for an undated table."""
    dated = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if dated:
        dates = frame[dated[0]].dropna()
        return f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}"
    if "year" in frame.columns:
        years = frame["year"].dropna()
        return str(int(years.min())), str(int(years.max()))
    return None


def package_coverage() -> dict[str, tuple[str, str]]:
    """Coverage of every dated table of the committed package that states outside facts."""
    from . import data

    found = {}
    for name in data.resource_names():
        if name in data.PROJECT_TABLES:
            continue
        span = coverage(data.load(name))
        if span is not None:
            found[f"{name}.csv"] = span
    return found
