"""Results kept in build/cache/ under a digest of everything they depend on.

A slow result (the sensitivity grid, the data package's validation) is stored as JSON under a key
made from its inputs, the package's own code and the versions of the libraries that compute it. A
rerun with the same inputs reads it back; any change of data, code or library gives a new key, so
a stale result is never read. Concurrent runs compute a result once (the second waits on a lock).
The cache is a shortcut only: when it cannot be written (read-only or full disk) the result is
simply recomputed next time.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

from . import paths


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of every module of this package (a code change invalidates every cached result)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def key(kind: str, inputs: Any, libraries: tuple[str, ...] = ()) -> str:
    """A file-name-safe key: `kind`, a digest of the JSON of `inputs`, the code and library versions."""
    digest = hashlib.sha256()
    versions = {name: metadata.version(name) for name in libraries}
    for part in (inputs, versions, code_digest()):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode() + b"\0")
    return f"{kind}-{digest.hexdigest()[:32]}"


def fetch(name: str, compute: Callable[[], Any]) -> Any:
    """The JSON value stored under `name`, computing and storing it when it is absent.

    The computed value is returned as a later read would give it (lists, never tuples).
    """
    from filelock import FileLock

    folder = paths.BUILD / "cache"
    target = folder / f"{name}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{target}.lock")
        lock.acquire()
    except OSError:
        return json.loads(json.dumps(compute()))  # no cache here: compute every time
    try:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(target.read_text(encoding="utf-8"))
        text = json.dumps(compute(), sort_keys=True)
        with contextlib.suppress(OSError):
            paths.write_atomically(target, text)
        return json.loads(text)
    finally:
        lock.release()
