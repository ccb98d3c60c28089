"""Where the project's folders are, how files are written there, and who may write them.

The root is found from RESETLAB_ROOT, else from the working directory upwards, else from this
file's location (an editable install), so notebooks run from any folder inside the checkout.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

_MARKER = Path("data") / "datapackage.json"


def find_root() -> Path:
    env = os.environ.get("RESETLAB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_file():
            return candidate
    return Path(__file__).resolve().parents[2]


ROOT = find_root()
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
BUILD = ROOT / "build"
LOCKS = BUILD / "locks"


class WriteError(OSError):
    """A file could not be written (disk full, read-only folder...); the message names the path."""

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def _write_all(handle, payload: bytes) -> None:
    """The one place output bytes reach the disk (tests inject write errors here)."""
    handle.write(payload)
    handle.flush()


def write_atomically(target: Path, text: str | bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place.

    A run that fails midway leaves the previous file untouched and no temporary file behind;
    a write error becomes a WriteError naming `target`.
    """
    target = Path(target)
    payload = text.encode("utf-8") if isinstance(text, str) else text
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        tmp = Path(name)
        with os.fdopen(fd, "wb") as handle:
            _write_all(handle, payload)
        os.chmod(tmp, 0o644)
        tmp.replace(target)
        tmp = None
    except OSError as exc:
        raise WriteError(exc.errno, exc.strerror or str(exc), str(target)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def copy_atomically(source: Path, target: Path) -> None:
    write_atomically(target, Path(source).read_bytes())


def display(path: Path) -> str:
    """`path` relative to the root when it lies inside it (messages stay short and portable)."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT)) + ("/" if path.is_dir() else "")
    except ValueError:
        return str(path)


# --- publishing locks ---------------------------------------------------------------------------

class Busy(RuntimeError):
    """Another process is publishing to the same folder."""


@contextlib.contextmanager
def publishing(*folders: Path):
    """Hold an exclusive lock on each folder for as long as this process publishes there.

    A second run aimed at one of the same folders is refused at once with a message naming the
    folder and the process holding it; the operating system releases the lock if the holder dies.
    """
    from filelock import FileLock, Timeout

    LOCKS.mkdir(parents=True, exist_ok=True)
    held = []
    try:
        for folder in sorted({Path(f).resolve() for f in folders}):
            key = hashlib.sha256(str(folder).encode()).hexdigest()[:16]
            lock = FileLock(LOCKS / f"{key}.lock", timeout=0)
            owner = LOCKS / f"{key}.owner"
            try:
                lock.acquire()
            except Timeout:
                try:
                    pid = owner.read_text(encoding="utf-8").strip()
                except OSError:
                    pid = "?"
                raise Busy(f"another run (process {pid}) is publishing to {display(folder)}; "
                           "wait for it to finish, or give this run its own --output-dir") from None
            held.append(lock)
            owner.write_text(f"{os.getpid()}\n", encoding="utf-8")
        yield
    finally:
        for lock in reversed(held):
            lock.release()
