"""The rule cache: a check loads the checked rules from it when nothing they depend on has changed,
rebuilds when anything has, and never trusts a file another user could have written."""
from __future__ import annotations

import errno
import os
import pickle
import shutil
import time

import pytest
from conftest import IIJ_AMENDED, ROOT, expected_text
from precomment.checking import rule_cache as rulecache
from precomment.errors import RuleError
from precomment.language import rulebook

PACK = ROOT / "tests" / "rule_packs" / "effective"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("PRECOMMENT_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def pack(tmp_path):
    copy = tmp_path / "pack"
    shutil.copytree(PACK, copy)
    return copy


def pickles(directory):
    return sorted(p.name for p in directory.glob("rules-*.pickle"))


def refuse_loading(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the rules were loaded from YAML, not from the cache")
    monkeypatch.setattr(rulebook, "load_rules", fail)


def test_a_second_load_comes_from_the_cache(cache, pack, monkeypatch):
    first = rulecache.load_checked_rules([pack])
    assert len(pickles(cache)) == 1
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    refuse_loading(monkeypatch)
    second = rulecache.load_checked_rules([pack])
    assert second == first and [r.id for r in second.rules] == [r.id for r in first.rules]


def test_changing_a_rule_file_is_a_miss(cache, pack):
    rulecache.load_checked_rules([pack])
    rule = next(pack.rglob("*.yaml"))
    text = rule.read_text(encoding="utf-8")
    assert "severity: warning" in text
    rule.write_text(text.replace("severity: warning", "severity: info"), encoding="utf-8")
    changed = rulecache.load_checked_rules([pack])
    assert len(pickles(cache)) == 2
    assert {r.severity for r in changed.rules} == {"info"}


def test_adding_a_rule_file_is_a_miss(cache, pack):
    before = rulecache.load_checked_rules([pack])
    extra = next((ROOT / "rules" / "item16B").glob("*.yaml"))
    shutil.copy(extra, pack / extra.name)
    after = rulecache.load_checked_rules([pack])
    assert len(pickles(cache)) == 2
    assert len(after.rules) == len(before.rules) + 1


def test_a_corrupt_cache_file_is_rebuilt(cache, pack):
    rulecache.load_checked_rules([pack])
    (cache / pickles(cache)[0]).write_bytes(b"not a pickle")
    assert rulecache.load_checked_rules([pack]).rules
    assert (cache / pickles(cache)[0]).read_bytes() != b"not a pickle"


def test_a_cache_file_others_can_write_is_not_read(cache, pack, monkeypatch):
    rulecache.load_checked_rules([pack])
    os.chmod(cache / pickles(cache)[0], 0o666)
    loaded = []
    real = rulebook.load_rules
    monkeypatch.setattr(rulebook, "load_rules", lambda *a, **k: loaded.append(1) or real(*a, **k))
    rulecache.load_checked_rules([pack])
    assert loaded == [1]


def test_a_cache_directory_others_can_write_is_not_used(cache, pack):
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)
    assert rulecache.cache_dir() is None
    rulecache.load_checked_rules([pack])
    assert pickles(cache) == []


def test_no_cache_writes_nothing(cache, pack, monkeypatch):
    monkeypatch.setenv("PRECOMMENT_NO_CACHE", "1")
    rulecache.load_checked_rules([pack])
    assert not cache.exists() or pickles(cache) == []


def test_only_the_latest_rule_sets_are_kept(cache, pack):
    rule = next(pack.rglob("*.yaml"))
    text = rule.read_text(encoding="utf-8")
    for n in range(rulecache.KEEP + 3):
        rule.write_text(text + f"\n# edit {n}\n", encoding="utf-8")
        rulecache.load_checked_rules([pack])
    assert len(pickles(cache)) == rulecache.KEEP


def test_a_rule_with_a_failing_example_is_never_cached(cache):
    bad = ROOT / "tests/bad_rules/failing-example"
    for _ in range(2):
        with pytest.raises(RuleError, match="failing-example"):
            rulecache.load_checked_rules([bad])
    assert pickles(cache) == []


# --- temporary files of the cache writer ------------------------------------------------------------------

def temporaries(directory):
    return sorted(p.name for p in directory.glob(".rules-*"))


@pytest.mark.parametrize("failure", [pickle.PicklingError("cannot pickle"), OSError(errno.ENOSPC, "No space left"),
                                     RecursionError("maximum recursion depth exceeded")],
                         ids=["PicklingError", "disk full", "RecursionError"])
def test_a_failed_cache_write_leaves_no_file_and_the_check_goes_on(cache, pack, monkeypatch, failure):
    def dump(value, stream, protocol=None):
        stream.write(b"half a pickle")
        raise failure
    monkeypatch.setattr(rulecache.pickle, "dump", dump)
    loaded = rulecache.load_checked_rules([pack])
    assert [r.id for r in loaded.rules] == [r.id for r in rulebook.load_rules([pack]).rules]
    # No pickle, whole or partial (the files' digests, written before, are a file of their own).
    assert sorted(p.name for p in cache.iterdir()) in ([], [rulecache.FileDigests.NAME])


def test_temporary_files_left_by_killed_writers_are_swept_when_writing(cache, pack):
    cache.mkdir(mode=0o700)
    hour_and_a_bit = time.time() - rulecache.STALE - 60
    for name in (".rules-0123.pickle.killed1", ".rules-4567.pickle.killed2", "notes.txt"):
        (cache / name).write_bytes(b"half a pickle")
        os.utime(cache / name, (hour_and_a_bit, hour_and_a_bit))
    (cache / ".rules-89ab.pickle.writing").write_bytes(b"another run, still writing")
    rulecache.load_checked_rules([pack])
    assert temporaries(cache) == [".rules-89ab.pickle.writing"]
    assert (cache / "notes.txt").exists(), "only the cache's own temporary files are removed"
    assert len(pickles(cache)) == 1


# --- where the cache is -----------------------------------------------------------------------------------

@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """No PRECOMMENT_CACHE_DIR, HOME in tmp_path/home, the working directory tmp_path/work (returned)."""
    monkeypatch.delenv("PRECOMMENT_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path / "work"


def test_an_absolute_xdg_cache_home_holds_the_cache(elsewhere, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rulecache.cache_dir() == tmp_path / "xdg" / "precomment"


@pytest.mark.parametrize("value", ["relative/cache", "", "~/.cache"])
def test_a_relative_xdg_cache_home_is_ignored(elsewhere, tmp_path, monkeypatch, value):
    """The XDG Base Directory spec: a relative path in $XDG_CACHE_HOME is invalid and is ignored."""
    monkeypatch.setenv("XDG_CACHE_HOME", value)
    assert rulecache.cache_dir() == tmp_path / "home" / ".cache" / "precomment"
    assert list(elsewhere.iterdir()) == [], "nothing is made in the working directory"


@pytest.mark.parametrize("home", ["", "home"])
def test_without_an_absolute_home_there_is_no_cache(elsewhere, monkeypatch, home):
    monkeypatch.setenv("HOME", home)
    assert rulecache.cache_dir() is None
    assert list(elsewhere.iterdir()) == [], "nothing is made in the working directory"


def test_a_relative_precomment_cache_dir_is_refused(cli, elsewhere, monkeypatch):
    """A relative cache directory would be read in whatever directory a check runs, where a checked-out
    repository could have planted a cache file (a pickle): refused, with what to do, rather than ignored."""
    monkeypatch.setenv("PRECOMMENT_CACHE_DIR", "cache")
    monkeypatch.chdir(ROOT)
    assert cli("check", "filings/iij-fy2009-20f-amended.yaml") == (
        2, "", "precomment: PRECOMMENT_CACHE_DIR=cache is a relative path; give an absolute one (a relative cache "
               "directory would be read wherever precomment runs, where a repository could have planted one)\n")
    assert not (ROOT / "cache").exists()
    assert cli("check", "filings/iij-fy2009-20f-amended.yaml", "--no-cache")[0] == 0


def test_without_home_the_password_databases_home_holds_the_cache(elsewhere, tmp_path, monkeypatch):
    monkeypatch.delenv("HOME")
    real = os.path.expanduser
    monkeypatch.setattr(os.path, "expanduser", lambda path: str(tmp_path / "pw") if path == "~" else real(path))
    assert rulecache.cache_dir() == tmp_path / "pw" / ".cache" / "precomment"


# --- what the key covers, and what loading verifies --------------------------------------------------------

def test_changing_a_module_of_any_subpackage_changes_the_key(tmp_path):
    """The engine is one subpackage per stage, some nested (evaluation/durable_rules): a change to any of
    their modules must be a miss, or a check would run on rules checked by the code before the change."""
    package = tmp_path / "precomment"
    shutil.copytree(rulecache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    files = rulebook.rule_files([PACK])
    before = rulecache._key(files, [PACK], package)
    for module in ("language/regex.py", "evaluation/durable_rules/compile.py"):
        with (package / module).open("a", encoding="utf-8") as source:
            source.write("\n# changed\n")
        after = rulecache._key(files, [PACK], package)
        assert after != before, module
        before = after


def count_examples_run(monkeypatch):
    from precomment.checking import examples

    run = []
    real = examples.run_example
    monkeypatch.setattr(examples, "run_example", lambda *args: run.append(args[1].id) or real(*args))
    return run


def test_loading_the_built_in_rules_runs_no_example(monkeypatch):
    """The suite and `rules test` verify the built-in rules' examples; a check's load does not run them again."""
    from precomment.resources import rules_dir

    run = count_examples_run(monkeypatch)
    assert rulecache.load_checked_rules([rules_dir()], use_cache=False).rules
    assert run == []


def test_loading_a_users_pack_runs_its_examples_only(monkeypatch):
    from precomment.resources import rules_dir

    run = count_examples_run(monkeypatch)
    ruleset = rulecache.load_checked_rules([rules_dir(), PACK], use_cache=False)
    pack = rulebook.load_rules([PACK]).rules
    assert sorted(run) == sorted(rule.id for rule in pack for _ in rule.examples)
    assert {rule.id for rule in pack} < {rule.id for rule in ruleset.rules}


def test_a_users_pack_with_a_wrong_example_is_refused_beside_the_built_in_rules(cli):
    """Only the built-in rules skip verification as they load: a pack added to them is refused, as alone."""
    bad = "tests/bad_rules/failing-example"
    code, out, err = cli("check", IIJ_AMENDED, "--rules", bad)
    assert (code, out) == (2, "")
    assert err == expected_text(ROOT / f"{bad}.err", err)


@pytest.mark.parametrize("enabled", [True, False])
def test_unpickling_pauses_the_collector_and_leaves_it_as_it_was(enabled, monkeypatch):
    # Unpickling the cache with the collector running cost twice as long as with it paused, because each
    # burst of allocations made it walk every object of the process (BENCHMARKS.md, 'Rule cache load').
    seen = []
    real_loads = pickle.loads
    monkeypatch.setattr(rulecache.pickle, "loads", lambda data: seen.append(rulecache.gc.isenabled()) or real_loads(data))
    was = rulecache.gc.isenabled()
    (rulecache.gc.enable if enabled else rulecache.gc.disable)()
    try:
        loaded = rulecache._unpickled(pickle.dumps({"rules": (1, 2)}))
        assert (loaded, seen, rulecache.gc.isenabled()) == ({"rules": (1, 2)}, [False], enabled)
    finally:
        (rulecache.gc.enable if was else rulecache.gc.disable)()


# --- the digests of the files the key reads --------------------------------------------------------------

def test_a_file_unchanged_since_the_last_key_is_not_read_again(cache, pack, monkeypatch):
    monkeypatch.setattr(rulecache, "SETTLED_NS", 0)  # every file counts as settled: remembered at once
    files = rulebook.rule_files([pack])
    cache.mkdir(mode=0o700)
    read: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *args, **kwargs: read.append(str(path)) or real_open(path, *args, **kwargs))
    first = rulecache.FileDigests.load(cache)
    key = rulecache._key(files, [pack], known=first)
    first.save()
    assert {str(f) for f in files} <= set(read)  # the first key reads every rule file
    read.clear()
    assert rulecache._key(files, [pack], known=rulecache.FileDigests.load(cache)) == key
    assert read == []  # no source, schema or rule file opened


def test_a_file_rewritten_at_the_same_size_with_its_old_mtime_is_still_a_miss(cache, pack, monkeypatch):
    """The status-change time moves with every write and cannot be set back, unlike the modification time."""
    monkeypatch.setattr(rulecache, "SETTLED_NS", 0)
    files = rulebook.rule_files([pack])
    cache.mkdir(mode=0o700)
    known = rulecache.FileDigests.load(cache)
    before = rulecache._key(files, [pack], known=known)
    known.save()
    target = files[0]
    info = target.stat()
    text = target.read_bytes()
    changed = text.replace(b"warning", b"WARNING") if b"warning" in text else text[:-2] + b"#\n"
    assert len(changed) == len(text) and changed != text
    time.sleep(0.01)
    target.write_bytes(changed)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert target.stat().st_mtime_ns == info.st_mtime_ns and target.stat().st_size == info.st_size
    assert rulecache._key(files, [pack], known=rulecache.FileDigests.load(cache)) != before


def test_a_file_changed_just_now_is_not_remembered_by_its_status(cache, pack):
    """A file written within SETTLED_NS may be written again within the same clock tick at the same size:
    its digest is not remembered, so the next key reads it again."""
    files = rulebook.rule_files([pack])
    files[0].write_bytes(files[0].read_bytes())  # just changed
    cache.mkdir(mode=0o700)
    known = rulecache.FileDigests.load(cache)
    rulecache._key(files, [pack], known=known)
    assert str(files[0]) not in known.entries


def test_digests_another_user_could_have_written_are_not_trusted(cache, pack, monkeypatch):
    monkeypatch.setattr(rulecache, "SETTLED_NS", 0)
    files = rulebook.rule_files([pack])
    cache.mkdir(mode=0o700)
    known = rulecache.FileDigests.load(cache)
    rulecache._key(files, [pack], known=known)
    known.save()
    (cache / rulecache.FileDigests.NAME).chmod(0o666)
    assert rulecache.FileDigests.load(cache).entries == {}


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b'{"x": [1, 2, 3, 4, "zz"]}'])
def test_a_damaged_digests_file_only_costs_reading_the_files_again(cache, pack, content):
    files = rulebook.rule_files([pack])
    expected = rulecache._key(files, [pack])
    cache.mkdir(mode=0o700)
    (cache / rulecache.FileDigests.NAME).write_bytes(content)
    assert rulecache._key(files, [pack], known=rulecache.FileDigests.load(cache)) == expected
