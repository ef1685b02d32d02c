"""Rules as a check uses them: loaded, validated, a user's examples verified, and cached between runs.

Loading ~90 rule files (YAML, JSON Schema, static checks) costs an order of magnitude more than unpickling
them (BENCHMARKS.md, 'The command line'), and the rules rarely change between two saves of a draft. So the
checked RuleSet is cached, keyed by a SHA-256 over everything it depends on: precomment's version and every
source file of every subpackage, the bundled schemas, and every rule file's path and bytes. Any change to
any of them is a miss. Each file's own SHA-256 is remembered with its size, inode and times
(`FileDigests`, in the cache directory), so a check reads again only the files that changed: reading and
hashing the ~560 files was a third of a warm check's rule loading (BENCHMARKS.md, 'Start-up').

The examples of a user's rule pack (any directory but the built-in rules') are verified as it loads, on a
miss (examples.verify_examples): a rule whose failing example would not fire (or whose passing example
would) is refused with the example's file:line. The built-in rules' examples are not run here: the test
suite and `precomment rules test` verify them, on both evaluators, before they ship.

The cache is a pickle, so it is only read from a directory this user owns and nobody else can write
(0700), from a file only this user can write; anything else is ignored and rebuilt. Set
PRECOMMENT_CACHE_DIR to move it, PRECOMMENT_NO_CACHE=1 (or --no-cache) to bypass it. A write that fails
removes its temporary file; one killed mid-write leaves it, and the next write sweeps it after an hour.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import stat
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import UsageError
from ..language.records import RuleSet

CACHE_FORMAT = 2  # 2: files enter the key by their SHA-256, not their bytes
KEEP = 8  # cached rule sets kept (the most recently written); older ones are removed
STALE = 3600
"""Seconds after which a temporary file of the cache is taken as left by a writer that was killed (a write
takes well under a second), and removed by the next write."""


def load_checked_rules(directories: Iterable[Path], use_cache: bool = True) -> RuleSet:
    """The rules under `directories`, refused if any is bad or a user's rule has an example that does not hold."""
    from ..language.rulebook import load_rules, rule_file_names

    dirs = [Path(d) for d in directories]
    cache = cache_dir() if use_cache and not os.environ.get("PRECOMMENT_NO_CACHE") else None
    key = ""
    if cache:
        known = FileDigests.load(cache)
        key = _key(rule_file_names(d for d in dirs if d.is_dir()), dirs, known=known)
        known.save()
        cached = _read(cache / f"rules-{key}.pickle")
        if cached is not None:
            return cached
    from ..resources import rules_dir
    from .examples import verify_examples  # the checker's modules: imported only on a miss

    ruleset = load_rules(dirs)
    builtin = rules_dir().resolve()
    users = set(rule_file_names(d for d in dirs if d.is_dir() and d.resolve() != builtin))
    verify_examples(ruleset, [rule for rule in ruleset.rules if rule.source in users])
    if cache:
        from ..evaluation.durable_rules.compile import precompile

        precompile(ruleset)  # a check compiles them anyway: once here, and every later run reads them
        _write(cache, f"rules-{key}.pickle", ruleset)
    return ruleset


def cache_dir() -> Path | None:
    """$PRECOMMENT_CACHE_DIR, else $XDG_CACHE_HOME/precomment, else ~/.cache/precomment; None if unusable.

    Only an absolute path is used: a relative one would be resolved in whatever directory precomment runs,
    making a cache there, and reading a pickle a checked-out repository could have planted. So a relative
    PRECOMMENT_CACHE_DIR is refused (it was set on purpose: say so), and a relative XDG_CACHE_HOME is ignored,
    as the XDG Base Directory spec says; without an absolute home directory there is no cache."""
    configured = os.environ.get("PRECOMMENT_CACHE_DIR")
    if configured and not os.path.isabs(configured):
        raise UsageError(f"PRECOMMENT_CACHE_DIR={configured} is a relative path; give an absolute one (a relative "
                         "cache directory would be read wherever precomment runs, where a repository could have "
                         "planted one)")
    base = Path(configured) if configured else _user_cache()
    if base is None:
        return None
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = base.stat()
    except OSError:
        return None
    return base if _private(info) else None


def _user_cache() -> Path | None:
    """$XDG_CACHE_HOME/precomment when that is absolute, else ~/.cache/precomment; None without a home."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "precomment"
    home = os.environ.get("HOME")
    if home is None:
        home = os.path.expanduser("~")  # the password database's, or "~" itself when it has no entry
    return Path(home) / ".cache" / "precomment" if os.path.isabs(home) else None


def _private(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else: only then is a pickle in it trusted."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


PACKAGE = Path(__file__).parent.parent
"""The `precomment` package: every module in it, at any depth, is part of the cache key."""


def _key(files: Sequence[str | Path], dirs: list[Path], package: Path = PACKAGE, known: FileDigests | None = None) -> str:
    """The cache key: precomment's version, every source file of `package` at any depth and the bundled
    schemas, then the rule directories and every rule file, each by path and the SHA-256 of its bytes (read
    again only when `known` has no digest for it that still holds)."""
    from ..resources import schema_path

    known = known if known is not None else FileDigests({})
    digest = hashlib.sha256(f"precomment {__version__} cache {CACHE_FORMAT}\n".encode())
    sources = _python_files(package)  # every module of every subpackage: none may serve stale rules
    sources += sorted(str(path) for path in schema_path("").parent.glob("*.json"))
    for path in sources + ["--rules--"] + [str(d) for d in dirs] + [str(f) for f in files]:
        digest.update(path.encode() + b"\0")
        content = known.of(path)
        if content is not None:
            digest.update(content + b"\0")
    return digest.hexdigest()[:32]


def _python_files(package: Path) -> list[str]:
    """Every .py file under `package`, in the order sorted(Path.rglob) gives (by path components)."""
    found = [os.path.join(folder, name) for folder, _, names in os.walk(package) for name in names
             if name.endswith(".py")]
    return sorted(found, key=lambda path: path.split(os.sep))


SETTLED_NS = 2_000_000_000
"""How long ago a file must have last changed (its status-change time) for its digest to be remembered by
its status: a file changed twice within the file system's clock tick (a few milliseconds), at the same size,
would otherwise keep the first digest (git's "racily clean" files, handled the same way)."""


class FileDigests:
    """The SHA-256 of each file the key reads, remembered in the cache directory with the file's size,
    inode, modification and status-change times: while all four are unchanged, the file is not read again.
    The status-change time (ctime) moves with every write and cannot be set back (unlike the modification
    time), so a file rewritten with the same size and its old mtime restored is still read again."""

    NAME = "file-digests.json"

    def __init__(self, entries: dict[str, list[Any]], where: Path | None = None) -> None:
        self.entries = entries
        self.where = where
        self.changed = False

    @classmethod
    def load(cls, directory: Path) -> FileDigests:
        """The digests remembered in `directory` (none if the file is missing, unreadable or not this
        user's alone: the cache directory is already private)."""
        try:
            with (directory / cls.NAME).open("rb") as handle:
                if not _private(os.fstat(handle.fileno())):
                    return cls({}, directory)
                entries = json.loads(handle.read())
        except (OSError, ValueError):
            return cls({}, directory)
        return cls(entries if isinstance(entries, dict) else {}, directory)

    def of(self, path: str) -> bytes | None:
        """The file's SHA-256 (raw bytes), None if it is not a regular file."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        status = [info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns]
        entry = self.entries.get(path)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == status and isinstance(entry[4], str):
            try:
                return bytes.fromhex(entry[4])
            except ValueError:
                pass
        try:
            with open(path, "rb") as handle:
                content = hashlib.sha256(handle.read()).digest()
        except OSError:
            return None
        if time.time_ns() - info.st_ctime_ns > SETTLED_NS:
            self.entries[path] = [*status, content.hex()]
            self.changed = True
        return content

    def save(self) -> None:
        """Write the digests atomically if any was added; a failure leaves the old file (or none)."""
        if not self.changed or self.where is None:
            return
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{self.NAME}.", dir=self.where)
        except OSError:
            return
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.entries, stream, separators=(",", ":"), sort_keys=True)
            os.replace(temporary, self.where / self.NAME)
        except Exception:  # a full disk: the next run reads the files again
            _remove(Path(temporary))


def _read(path: Path) -> RuleSet | None:
    try:
        with path.open("rb") as handle:
            if not _private(os.fstat(handle.fileno())):
                return None
            ruleset = _unpickled(handle.read())
    except Exception:  # missing, truncated or from another version: rebuild
        return None
    return ruleset if isinstance(ruleset, RuleSet) else None


def _unpickled(data: bytes) -> object:
    """The cached object, unpickled with the cyclic garbage collector paused. Unpickling allocates tens of
    thousands of containers at once; each burst of allocations triggers a collection that walks every
    tracked object of the process (every module, class and function imported so far), which cost several
    times the unpickling itself (BENCHMARKS.md, 'Rule cache load'). Nothing loaded is garbage, so pausing
    it frees nothing later than it would have been freed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _write(directory: Path, name: str, ruleset: RuleSet) -> None:
    """Write atomically (a temporary file, then a rename), then prune. A cache that cannot be written is not
    an error (the next run loads the rules again), and leaves no file behind."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
    except OSError:
        return
    written = False
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(ruleset, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, directory / name)
        written = True
    except Exception:  # a full disk, or a rule set pickle cannot write (rules nested too deep): go on without
        return
    finally:
        if not written:  # removed on any failure, Ctrl-C included; a killed writer's is swept by _prune
            _remove(Path(temporary))
    _prune(directory)


def _prune(directory: Path) -> None:
    """Remove the cached rule sets beyond the KEEP most recently written, and the temporary files of writers
    killed mid-write (older than STALE: a younger one may be another run's, still being written)."""
    cached = sorted(((mtime, path) for path in directory.glob("rules-*.pickle")
                     if (mtime := _mtime(path)) is not None), reverse=True)
    cutoff = time.time() - STALE
    stale = [path for path in directory.glob(".rules-*.pickle.*") if (mtime := _mtime(path)) is not None
             and mtime < cutoff]
    for path in [path for _, path in cached[KEEP:]] + stale:
        _remove(path)


def _mtime(path: Path) -> float | None:
    """When the file was last written; None when it is gone (another run may prune at the same time)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:  # already removed by another run: nothing left to do
        pass
