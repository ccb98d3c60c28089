import os
import shutil
import tempfile
from pathlib import Path

import pytest

from resetlab import paths, site
from resetlab.plotting import FIGURES_ENV

needs_browser = pytest.mark.skipif(site.browser_path() is None, reason="needs Chromium (apt-get install chromium)")


def launch_chromium(playwright):
    """Debian's Chromium, never a downloaded one (the site's browser checks and the XSS check)."""
    return playwright.chromium.launch(executable_path=site.browser_path(), args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])


def pytest_configure(config):
    """nbval's kernels inherit this environment: the student copies they run write their figures to a
    scratch folder, never to the committed figures/."""
    if FIGURES_ENV not in os.environ:
        config.scratch_figures = os.environ[FIGURES_ENV] = tempfile.mkdtemp(prefix="resetlab-test-figures-")


def pytest_unconfigure(config):
    # Only the process that made the folder removes it (xdist workers inherit it from the controller).
    if getattr(config, "scratch_figures", None):
        shutil.rmtree(config.scratch_figures, ignore_errors=True)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (spreadsheet row numbering: header is row 1)."""
    import csv

    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fieldnames = list(rows[0].keys())
    rows[row - 2][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="session")
def claims_contract() -> Path:
    """A build/claims.json that follows the contract, for the site's home page in the tests."""
    return Path(__file__).parent / "fixtures" / "claims_contract.json"


@pytest.fixture(scope="session")
def built(tmp_path_factory, claims_contract) -> Path:
    """The site, built from the committed notebooks and the claims contract's fixture; read-only.

    Built once for the whole test session: the xdist workers share one copy (the first to get the
    lock builds it, in a folder all workers see), since each build takes several seconds.
    """
    from filelock import FileLock

    from resetlab import site

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's base folder, above each worker's own
    target, complete = shared / "committed-site", shared / "committed-site.complete"
    with FileLock(str(shared / "committed-site.lock")):
        if not complete.exists():
            shutil.rmtree(target, ignore_errors=True)
            site.build(target, claims_file=claims_contract)
            complete.touch()
    return target


# The order in which `make test` hands out its work. It runs `--dist loadscope --no-loadscope-reorder`:
# xdist gives a whole scope (a file, or a class where a file has classes; each student notebook is its
# own) to the next free worker, in this order. The long scopes go first, so that the workers finish
# together on the short unit-test files (measured with --durations):
# - the site's browser checks build the site once, at the module level (the other worker meanwhile
#   takes the bad-input suite, which needs no site), and then visit its pages in two halves;
# - the student copies follow the determinism run, which stores the scorecard's sensitivity grid
#   that the student scorecard then reads; the longest student copies first.
# The runner's tests (a quarter of a minute) come next, and the short unit-test files fill the end.
# Order within a scope is unchanged.
SCHEDULE = (
    "test_site_browser.py",
    "test_bad_input.py",
    "test_site_browser.py::TestFirstHalfOfThePages",
    "test_site_browser.py::TestSecondHalfOfThePages",
    "test_xss.py",
    "test_determinism.py",
    "test_faults.py",
    "test_sweep.py",
    "05.00-Claims-Scorecard.ipynb",
    "03.00-Rise-and-Collapse.ipynb",
    "01.00-Arms-Control.ipynb",
    "02.00-Sanctions-and-Nonproliferation.ipynb",
    "04.00-Trust-and-Distance.ipynb",
    "00.00-Index.ipynb",
    "test_runner.py",
)


def scope_of(item) -> str:
    """The scope loadscope distributes: the file name, with the class where the item has one."""
    cls = getattr(item, "cls", None)
    return f"{item.path.name}::{cls.__name__}" if cls is not None else item.path.name


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(SCHEDULE)}
    items.sort(key=lambda item: rank.get(scope_of(item), len(rank)))
