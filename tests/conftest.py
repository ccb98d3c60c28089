import os
import shutil
import tempfile
from pathlib import Path

import pytest

from resetlab import paths
from resetlab.plotting import FIGURES_ENV


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


@pytest.fixture(scope="module")
def built(tmp_path_factory, claims_contract) -> Path:
    """The site, built from the committed notebooks and the claims contract's fixture."""
    from resetlab import site

    target = tmp_path_factory.mktemp("site") / "site"
    site.build(target, claims_file=claims_contract)
    return target


# The longest test files, longest first (measured with --durations). `make test` runs `--dist
# loadscope --no-loadscope-reorder`: xdist hands a whole file (a class, where a file has classes) to
# one worker, in collection order (not by number of tests), so starting these first lets the workers finish
# together instead of one waiting on a long file picked up last. Order within a file is unchanged.
# The student copies come last: by then the determinism run has stored the scorecard's sensitivity
# grid, which the student scorecard reads instead of waiting for it.
LONGEST_FIRST = ("test_site_browser.py", "test_xss.py", "test_bad_input.py", "test_faults.py", "test_determinism.py",
                 "test_sweep.py")


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
