"""What --output and the standard streams may do to the files and devices they name.

Special files (devices, FIFOs, /dev/stdout) are written into, never replaced; a symlink is followed to the
file it names, which is replaced, and the link kept; every output is checked against every input and for
a writable place before any filing is checked, and a set of reports is replaced whole or not at all; a
closed pipe ends quietly with the gate's exit code and a full disk is exit 2 naming where.

Nothing here may replace the machine's own /dev/null or /dev/stdout even if the code under test is wrong:
the tests that name them run as an ordinary user (`nobody`), who cannot create files in /dev.
"""
from __future__ import annotations

import errno
import io
import os
import pwd
import shutil
import stat
import subprocess
import sys
import sysconfig

import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT, run_process
from precomment.reports import writer as output

# What a run whose every report goes to a file says on standard error (the clean filing's summary line).
SUMMARY = "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. Gate --fail-on error: passed.\n"

ROOT_USER = os.geteuid() == 0


def amended_table(cli) -> str:
    """The table report of the amended IIJ filing (no findings), as standard output gets it."""
    code, out, err = cli("check", IIJ_AMENDED)
    assert (code, err) == (0, "")
    return out


# --- special files and symlinks: written into, or followed; never replaced --------------------------------

def test_a_fifo_is_written_into_never_replaced(cli, tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run_process("check", IIJ_AMENDED, "--output", str(fifo))
    try:
        received = reader.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:  # the FIFO was never opened for writing
        reader.kill()
        received = reader.communicate()[0]
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO is still a FIFO"
    assert (result.returncode, result.stdout, result.stderr) == (0, "", SUMMARY)
    assert received.decode("utf-8") == amended_table(cli)


@pytest.mark.skipif(not ROOT_USER, reason="making a device node needs root (CAP_MKNOD)")
def test_a_character_device_is_written_into_never_replaced(cli, tmp_path):
    null = tmp_path / "null"  # the same device as /dev/null, made here so that nothing of the system is at risk
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    code, out, err = cli("check", IIJ_AMENDED, "--format", "json", "--output", str(null))
    assert (code, out, err) == (0, "", SUMMARY)
    assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"], "no temporary file is left beside it"


def test_a_symlink_is_followed_and_the_file_it_names_replaced(cli, tmp_path):
    reports, links = tmp_path / "reports", tmp_path / "links"
    reports.mkdir()
    links.mkdir()
    (reports / "r.txt").write_text("old\n", encoding="utf-8")
    (links / "r.txt").symlink_to("../reports/r.txt")
    code, out, err = cli("check", IIJ_AMENDED, "--output", str(links / "r.txt"))
    assert (code, out, err) == (0, "", SUMMARY)
    assert os.readlink(links / "r.txt") == "../reports/r.txt", "the link is kept as it was"
    assert (reports / "r.txt").read_text(encoding="utf-8") == amended_table(cli)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["links", "r.txt", "r.txt", "reports"]


def test_a_dangling_symlink_gets_the_file_it_names(cli, tmp_path):
    (tmp_path / "r.txt").symlink_to("new.txt")
    code, out, err = cli("check", IIJ_AMENDED, "--output", str(tmp_path / "r.txt"))
    assert (code, out, err) == (0, "", SUMMARY)
    assert (tmp_path / "r.txt").is_symlink()
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == amended_table(cli)


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symlink", "hard-link"])
def test_another_name_of_an_input_is_refused(cli, tmp_path, link):
    draft = tmp_path / "draft.yaml"
    shutil.copy(ROOT / IIJ, draft)
    link(draft, tmp_path / "r.txt")
    code, out, err = cli("check", str(draft), "--output", str(tmp_path / "r.txt"))
    assert (code, out) == (2, "")
    assert err == (f"precomment: --output {tmp_path / 'r.txt'} is also an input of this run; it would be "
                   "overwritten. Write the report elsewhere, then move it\n")
    assert draft.read_bytes() == (ROOT / IIJ).read_bytes()


def test_standard_input_read_from_a_file_is_an_input_too(tmp_path):
    """`check - < draft.yaml --output /proc/self/fd/0` (what /dev/stdin points to) names the draft."""
    draft = tmp_path / "draft.yaml"
    shutil.copy(ROOT / IIJ, draft)
    with open(draft, "rb") as stdin:
        result = subprocess.run([sys.executable, "-m", "precomment", "check", "-", "--output", "/proc/self/fd/0"],
                                cwd=ROOT, stdin=stdin, capture_output=True, text=True, timeout=300)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("precomment: --output /proc/self/fd/0 is also an input of this run; it would be "
                             "overwritten. Write the report elsewhere, then move it\n")
    assert draft.read_bytes() == (ROOT / IIJ).read_bytes()


@pytest.mark.skipif(not ROOT_USER, reason="giving a symlink to another user needs root")
def test_another_users_symlink_in_a_shared_directory_is_not_followed(cli, tmp_path):
    """As the kernel's protected_symlinks would refuse it to the shell's `>`: an attacker's link in /tmp must
    not make a CI job running as root replace the file it points to."""
    shared, victim = tmp_path / "shared", tmp_path / "victim.txt"
    shared.mkdir()
    shared.chmod(0o1777)
    victim.write_text("precious\n", encoding="utf-8")
    link = shared / "r.txt"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)
    code, out, err = cli("check", IIJ_AMENDED, "--output", str(link))
    assert (code, out) == (2, "")
    assert err == (f"precomment: --output {link} is a symbolic link in {shared}, a directory anyone may write "
                   "in, and belongs to another user; it is not followed. Write the report elsewhere\n")
    assert victim.read_text(encoding="utf-8") == "precious\n" and link.is_symlink()


def test_the_runs_own_standard_output_is_written_through_it(tmp_path):
    """/proc/self/fd/1 (what /dev/stdout points to) names standard output: written into, so a report
    appended to a log (`>> log`) is appended, not put in the log's place."""
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as appended:
        result = subprocess.run([sys.executable, "-m", "precomment", "check", IIJ_AMENDED, "--output",
                                 "/proc/self/fd/1"], cwd=ROOT, stdout=appended, stderr=subprocess.PIPE, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    table = run_process("check", IIJ_AMENDED).stdout
    assert log.read_text(encoding="utf-8") == "earlier line\n" + table


def as_ordinary_user() -> list[str] | None:
    """A command line that runs precomment as an ordinary user: this Python when not root; as root, `nobody`
    running a Python it can reach (this one, or the system's of the same version given this environment's
    packages); None when there is none."""
    if not ROOT_USER:
        return [sys.executable, "-m", "precomment"]
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return None
    packages = sysconfig.get_paths()["purelib"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    start = "import site, sys; site.addsitedir(sys.argv.pop(1)); "
    for python in (sys.executable, shutil.which(version, path="/usr/bin:/usr/local/bin")):
        try:
            probe = subprocess.run([python or "", "-c", start + "import precomment", packages],
                                   preexec_fn=_become_nobody, capture_output=True, timeout=60)
        except OSError:  # not executable by nobody (e.g. under /root)
            continue
        if probe.returncode == 0:
            return [python or "", "-c", start + "sys.argv[0] = 'precomment'; from precomment.cli import run; run()",
                    packages]
    return None


def _become_nobody() -> None:
    os.setgroups([])
    os.setgid(pwd.getpwnam("nobody").pw_gid)
    os.setuid(pwd.getpwnam("nobody").pw_uid)


def run_as_ordinary_user(args: list[str], special: str) -> subprocess.CompletedProcess:
    """Run precomment as an ordinary user; `special` (a file of /dev the run writes to) is the same file
    afterwards (checked only by reading it)."""
    command = as_ordinary_user()
    if command is None:
        pytest.skip("running as root, and no Python here can be run by the user nobody")
    before = os.lstat(special)
    result = subprocess.run(command + args + ["--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            preexec_fn=_become_nobody if ROOT_USER else None)
    after = os.lstat(special)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)
    return result


def test_dev_null_is_written_into_as_an_ordinary_user():
    result = run_as_ordinary_user(["check", str(ROOT / IIJ_AMENDED), "--output", "/dev/null"], "/dev/null")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", SUMMARY)


def test_dev_stdout_is_standard_output_as_an_ordinary_user():
    result = run_as_ordinary_user(["check", str(ROOT / IIJ_AMENDED), "--format", "json", "--output", "/dev/stdout"],
                                  "/dev/stdout")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == run_process("check", str(ROOT / IIJ_AMENDED), "--format", "json").stdout


# --- every output checked against every input, and for a place to write, before any filing is checked ------

@pytest.fixture
def project(tmp_path):
    """A repository with a draft, a rule pack and room for configuration; the working directory for `cli`."""
    (tmp_path / ".git").mkdir()
    shutil.copy(ROOT / IIJ_AMENDED, tmp_path / "draft.yaml")
    shutil.copytree(ROOT / "tests/rule_packs/effective", tmp_path / "myrules")
    return tmp_path


@pytest.mark.parametrize("files, args, written", [
    ({".precomment.yaml": "fail_on: error\n"}, [], ".precomment.yaml"),
    ({"pyproject.toml": "[tool.precomment]\nfail_on = \"error\"\n"}, [], "pyproject.toml"),
    ({"cfg.yaml": "fail_on: error\n"}, ["--config", "cfg.yaml"], "cfg.yaml"),
    ({}, ["--rules", "myrules"], "myrules/item16J/policy-year-filer.yaml"),
    ({".precomment.yaml": "rules: [myrules]\n"}, [], "myrules/item16J/policy-year-filer.yaml"),
    ({".precomment.yaml": "waivers: waivers.yaml\n", "waivers.yaml": "waivers: []\n"}, [], "waivers.yaml"),
], ids=["found-config", "pyproject", "config", "rules-dir", "config-rules", "config-waivers"])
def test_no_input_is_ever_an_output(cli, project, monkeypatch, files, args, written):
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    before = (project / written).read_bytes()
    monkeypatch.chdir(project)
    code, out, err = cli("check", "draft.yaml", *args, "--output", written)
    assert (code, out) == (2, "")
    assert err == (f"precomment: --output {written} is also an input of this run; it would be overwritten. "
                   "Write the report elsewhere, then move it\n")
    assert (project / written).read_bytes() == before


def test_a_missing_directory_is_found_before_anything_is_checked_or_written(cli, tmp_path):
    old = tmp_path / "r.json"
    old.write_text("old\n", encoding="utf-8")
    code, out, err = cli("check", IIJ, "tests/bad/alias.yaml", "--format", "json", "--output", str(old),
                         "--format", "sarif", "--output", str(tmp_path / "nodir/r.sarif"))
    assert (code, out) == (2, "")
    assert err == f"precomment: --output {tmp_path}/nodir/r.sarif: the directory {tmp_path}/nodir does not exist\n", \
        "nothing was checked: the bad filing's problems are not printed"
    assert old.read_text(encoding="utf-8") == "old\n"


def test_a_directory_is_not_an_output(cli, tmp_path):
    code, out, err = cli("check", IIJ, "tests/bad/alias.yaml", "--output", str(tmp_path))
    assert (code, out, err) == (2, "", f"precomment: --output {tmp_path} is a directory; give the report a file name\n")


def test_an_empty_output_name_is_a_usage_error(cli, capsys):
    with pytest.raises(SystemExit) as stop:
        cli("check", IIJ, "--output", "")
    assert stop.value.code == 2
    assert capsys.readouterr().err.endswith("precomment check: error: --output needs a file name\n")


def test_two_names_of_one_file_are_one_output(cli, tmp_path):
    (tmp_path / "link.txt").symlink_to("r.txt")
    code, out, err = cli("check", IIJ, "--format", "json", "--output", str(tmp_path / "r.txt"),
                         "--format", "sarif", "--output", str(tmp_path / "link.txt"))
    assert (code, out) == (2, "")
    assert err == f"precomment: two --format options write to the same file: --output {tmp_path / 'link.txt'}\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "link.txt"]


def test_a_full_disk_replaces_no_report_of_the_set(cli, tmp_path, monkeypatch):
    """The second of two reports cannot be written: the first keeps its old text too, and no temporary file
    is left; the error names the report and the system's reason."""
    for name in ("r.json", "r.sarif"):
        (tmp_path / name).write_text("old\n", encoding="utf-8")
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".r.sarif." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)
    monkeypatch.setattr(output.os, "fsync", fsync)
    code, out, err = cli("check", IIJ, "--format", "json", "--output", str(tmp_path / "r.json"),
                         "--format", "sarif", "--output", str(tmp_path / "r.sarif"))
    assert (code, out) == (2, "")
    assert err == f"precomment: --output {tmp_path / 'r.sarif'}: cannot write: No space left on device\n"
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == {"r.json": "old\n", "r.sarif": "old\n"}


# --- standard output: a reader that goes away, a full disk, a closed descriptor ---------------------------

def run_with_stdout(args: list[str], stdout: int, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "precomment", *args], cwd=ROOT, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=300, **options)


@pytest.mark.parametrize("args, code, errors", [
    (["check", IIJ], 1, ""),
    (["check", IIJ_AMENDED, "--format", "json"], 0, ""),
    (["rules", "list"], 0, ""),
    (["validate", IIJ, "tests/bad/alias.yaml"], 2, (ROOT / "tests/bad/alias.err").read_text(encoding="utf-8")),
])
def test_a_reader_that_went_away_ends_the_run_quietly_with_its_exit_code(args, code, errors):
    """`precomment check | head -1`: the rest of the output is not wanted. Nothing is said of it, and the exit
    code is the run's own (the gate's, for check), as if the whole output had been read."""
    reader, writer = os.pipe()
    os.close(reader)  # gone before precomment writes a byte: every write fails (EPIPE)
    try:
        result = run_with_stdout(args, writer)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (code, errors)


def test_a_reader_that_went_away_still_gets_the_report_files(tmp_path):
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = run_with_stdout(["check", IIJ, "--format", "table", "--format", "json", "--output",
                                  str(tmp_path / "r.json")], writer)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (1, "")
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == run_process("check", IIJ, "--format", "json").stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["check", IIJ], ["validate", IIJ], ["rules", "list"]])
def test_a_full_disk_on_standard_output_is_exit_2_naming_it(args):
    with open("/dev/full", "w") as full:
        result = run_with_stdout(args, full.fileno())
    assert (result.returncode, result.stderr) == (2, "precomment: standard output: cannot write: No space left on device\n")


def test_a_closed_standard_output_is_exit_2_naming_it():
    result = run_with_stdout(["validate", IIJ], subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (2, "precomment: standard output: cannot write: Bad file descriptor\n")


# --- dates: the response's due date ---------------------------------------------------------------------

def test_a_letter_date_without_a_due_date_is_a_usage_error(cli):
    code, out, err = cli("check", IIJ, "--format", "response", "--letter-date", "9999-12-25")
    assert (code, out) == (2, "")
    assert err == ("precomment: --letter-date 9999-12-25: the response would be due 10 business days later, "
                   "after 9999-12-31, the last date precomment can count to\n")


def test_today_as_the_letter_date_is_checked_as_such(cli):
    code, out, err = cli("check", IIJ, "--format", "response", "--today", "9999-12-25")
    assert (code, out) == (2, "")
    assert err == ("precomment: --today 9999-12-25 (the letter date, without --letter-date): the response would "
                   "be due 10 business days later, after 9999-12-31, the last date precomment can count to\n")
    assert cli("check", IIJ_AMENDED, "--today", "9999-12-25")[0] == 0, "only the response format counts from it"


def test_a_letter_dated_in_the_last_year_gets_its_due_date(cli):
    code, out, err = cli("check", IIJ, "--format", "response", "--letter-date", "9999-12-01")
    assert (code, err) == (1, "")
    assert ("Response due: December 15, 9999, ten business days after the staff's letter of\nDecember 1, 9999 "
            "(weekends and federal holidays not counted).\n") in out


# --- validate names standard input as check does -----------------------------------------------------------

@pytest.mark.parametrize("args, name", [([], "<stdin>"), (["--stdin-name", "draft.yaml"], "draft.yaml")])
def test_validate_names_standard_input_as_check_does(cli, monkeypatch, args, name):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((ROOT / IIJ).read_bytes())))
    assert cli("validate", "-", *args) == (0, f"{name}: valid\n", "")
