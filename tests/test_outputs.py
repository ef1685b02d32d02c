"""Where reports go: --format/--output pairs, atomic writes that never touch an input, standard input,
colour (NO_COLOR) and the progress bar on a terminal."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest
from conftest import IIJ, IIJ_AMENDED, ROOT
from precomment.errors import OutputError
from precomment.reports import writer as output


def test_each_format_goes_to_its_own_output(cli, tmp_path):
    report_json, report_table = tmp_path / "r.json", tmp_path / "r.txt"
    code, out, err = cli("check", IIJ, "--format", "json", "--output", str(report_json),
                         "--format", "table", "--output", str(report_table), "--format", "json")
    assert (code, err) == (1, "")
    alone = cli("check", IIJ, "--format", "json")[1]
    assert out == alone == report_json.read_text(encoding="utf-8")
    assert report_table.read_text(encoding="utf-8") == cli("check", IIJ)[1]


def test_output_without_format_writes_the_table(cli, tmp_path):
    target = tmp_path / "r.txt"
    code, out, err = cli("check", IIJ_AMENDED, "--output", str(target))
    summary = "0 findings in 1 filing (0 error, 0 warning, 0 info); 164 rules not assessed. Gate --fail-on error: passed.\n"
    assert (code, out, err) == (0, "", summary)
    assert target.read_text(encoding="utf-8").endswith(summary)


def test_with_every_report_in_a_file_the_summary_line_goes_to_standard_error(cli, tmp_path):
    """Nothing on standard output, so the table's last line is said on standard error: the terminal shows
    the run's outcome, and the files hold the reports, unchanged."""
    report_json, report_html = tmp_path / "r.json", tmp_path / "r.html"
    code, out, err = cli("check", IIJ, "--format", "json", "--output", str(report_json),
                         "--format", "html", "--output", str(report_html))
    table = cli("check", IIJ)[1]
    assert (code, out) == (1, "")
    assert err == table.splitlines()[-1] + "\n"
    assert err == ("45 findings in 1 filing (14 error, 31 warning, 0 info); 165 rules not assessed. "
                   "Gate --fail-on error: FAILED by 14 findings at or above error.\n")
    assert report_json.read_text(encoding="utf-8") == cli("check", IIJ, "--format", "json")[1]
    assert report_html.read_text(encoding="utf-8") == cli("check", IIJ, "--format", "html")[1]


def test_a_report_written_to_standard_error_is_not_followed_by_the_summary_again():
    result = subprocess.run([sys.executable, "-m", "precomment", "check", IIJ_AMENDED, "--output", "/dev/stderr"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    table = subprocess.run([sys.executable, "-m", "precomment", "check", IIJ_AMENDED], cwd=ROOT,
                           capture_output=True, text=True, timeout=300).stdout
    assert (result.returncode, result.stdout, result.stderr) == (0, "", table)


@pytest.mark.parametrize("on_stdout", ["table", "json", "letter"])
def test_with_a_report_on_standard_output_the_summary_is_not_repeated(cli, tmp_path, on_stdout):
    code, out, err = cli("check", IIJ, "--format", "sarif", "--output", str(tmp_path / "r.sarif"),
                         "--format", on_stdout)
    assert (code, err) == (1, "")
    assert out == cli("check", IIJ, "--format", on_stdout)[1]


@pytest.mark.parametrize("args, message", [
    (["--format", "json", "--format", "table"],
     "precomment: only one --format can go to standard output; give the others an --output FILE\n"),
    (["--format", "json", "--output", "same", "--format", "table", "--output", "same"],
     "precomment: two --format options write to the same file: --output same\n"),
    (["--output", IIJ],
     f"precomment: --output {IIJ} is also an input of this run; it would be overwritten. Write the report "
     "elsewhere, then move it\n"),
    (["--output", "no/such/dir/r.txt"], "precomment: --output no/such/dir/r.txt: the directory no/such/dir does not exist\n"),
])
def test_output_mistakes_are_usage_errors(cli, args, message):
    code, out, err = cli("check", IIJ, *args)
    assert (code, out, err) == (2, "", message)


def test_a_second_output_for_one_format_is_refused(cli):
    with pytest.raises(SystemExit) as stop:
        cli("check", IIJ, "--format", "json", "--output", "a.json", "--output", "b.json")
    assert stop.value.code == 2


def test_the_waivers_and_baseline_files_are_inputs_too(cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(cli("check", IIJ, "--format", "json")[1], encoding="utf-8")
    before = baseline.read_bytes()
    code, out, err = cli("check", IIJ, "--baseline", str(baseline), "--format", "json", "--output", str(baseline))
    assert code == 2 and "is also an input of this run" in err
    assert baseline.read_bytes() == before


def test_atomic_write_keeps_the_old_report_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        output.replace_files([(output.plan_outputs([str(target)], [])[0], ["new"])])
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"], "no temporary file is left behind"


def test_atomic_write_gives_an_ordinary_file(tmp_path):
    target = tmp_path / "report.txt"
    output.replace_files([(output.plan_outputs([str(target)], [])[0], ["text\n"])])
    assert target.read_text(encoding="utf-8") == "text\n"
    assert target.stat().st_mode & 0o777 == 0o666 & ~output._umask()


def run(args: list[str], stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "precomment", *args], cwd=ROOT, input=stdin, capture_output=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_dash_reads_the_filing_from_standard_input():
    piped = run(["check", "-", "--format", "json"], stdin=(ROOT / IIJ).read_bytes())
    named = run(["check", IIJ, "--format", "json"])
    assert (piped.returncode, piped.stderr) == (1, b"")
    report = json.loads(piped.stdout)
    assert report["filings"][0]["source"] == "<stdin>"
    def strip(r):
        return [{k: v for k, v in f.items() if k != "source"} for f in r["filings"][0]["findings"]]
    assert strip(report) == strip(json.loads(named.stdout))


def test_stdin_name_names_the_input_and_picks_strict_json():
    result = run(["check", "-", "--stdin-name", "draft.json"], stdin=b'{"filer": {"name": "X",},}\n')
    assert result.returncode == 2
    assert result.stderr.decode().startswith("draft.json:1:")
    assert b"Traceback" not in result.stderr


def run_on_terminal(args: list[str], env: dict[str, str], stream: str) -> tuple[int, bytes]:
    """Run precomment with `stream` (stdout or stderr) on a pseudo-terminal; returns its bytes."""
    controller, terminal = pty.openpty()
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: terminal}
    process = subprocess.Popen([sys.executable, "-m", "precomment", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                               env={**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, **env}, **streams)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return process.wait(timeout=120), b"".join(chunks)


def test_severity_is_coloured_on_a_terminal_unless_no_color():
    code, coloured = run_on_terminal(["check", IIJ], {}, "stdout")
    assert code == 1
    assert b"\x1b[31merror\x1b[0m" in coloured and b"\x1b[33mwarning\x1b[0m" in coloured
    code, plain = run_on_terminal(["check", IIJ], {"NO_COLOR": "1"}, "stdout")
    assert b"\x1b[" not in plain
    assert b"\x1b[" not in run(["check", IIJ]).stdout, "never when piped"


def test_a_progress_bar_on_a_terminal_for_many_filings(tmp_path):
    files = [str(ROOT / IIJ_AMENDED)] * 12
    code, shown = run_on_terminal(["check", *files, "--format", "json", "--output", str(tmp_path / "r.json")],
                                  {}, "stderr")
    assert code == 0
    assert b"\r[##############################] 12/12 filings" in shown
    assert b"\r[##........" in shown
    summary = (b"0 findings in 12 filings (0 error, 0 warning, 0 info); 1968 rules not assessed. "
               b"Gate --fail-on error: passed.")
    code, quiet = run_on_terminal(["check", *files, "--no-progress", "--output", str(tmp_path / "r.txt")], {}, "stderr")
    assert quiet == summary + b"\r\n"  # no bar; only the summary line of a run whose reports all went to files
    assert run(["check", *files, "--output", str(tmp_path / "r2.txt")]).stderr == summary + b"\n", \
        "never when not a terminal"
