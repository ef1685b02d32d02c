"""`precomment init` (engine/commands/init.py, questionnaire.py): the questionnaire a first description
starts from. It validates as written for every profile, holds every field a rule reads, says what leaving a
field out means (the schema's x-absent, else by kind), and is written like every output: deterministic, to
standard output or a new file, never over an existing one without --force."""
from __future__ import annotations

import copy
import datetime
import io
import itertools
import re
import shlex

import pytest
import yaml
from conftest import ROOT, runner_in
from precomment.commands.profile import ACCOUNTING, FILER_STATUS, Profile
from precomment.commands.questionnaire import Questionnaire, absence, question, ruled_out
from precomment.language.reads import readers
from precomment.language.rulebook import load_rules
from precomment.resources import load_schema
from precomment.validation.fact_model import FILING_SCHEMA, fact_model

YEAR_END = ["--fiscal-year-end", "2025-12-31"]
ANSWERS = {  # each profile question: the flags answering it, and None for "not answered"
    "accounting": [None, ["--accounting", "ifrs"], ["--accounting", "us-gaap"], ["--accounting", "other"]],
    "securities": [None, ["--ads"], ["--ordinary-shares"]],
    "china": [None, ["--china-based"], ["--not-china-based"]],
    "egc": [None, ["--egc"], ["--not-egc"]],
    "status": [None, *(["--filer-status", word] for word in FILER_STATUS)],
}
PROFILES = [[flag for answer in combination if answer for flag in answer]  # every answer with every other,
            for combination in [*itertools.product(*(answers[1:] for answers in ANSWERS.values())),  # and each
                                *itertools.product(*([None] for _ in ANSWERS)),  # question unanswered in turn
                                *([None if i == j else answers[1] for j, answers in enumerate(ANSWERS.values())]
                                  for i in range(len(ANSWERS)))]]
IFRS_ADS_NOT_CHINA = [*YEAR_END, "--accounting", "ifrs", "--ads", "--not-china-based"]


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    return runner_in(tmp_path, monkeypatch, capsys)


def init(run, *flags: str) -> str:
    """The questionnaire on standard output (with -o FILE: nothing, and one line on standard error)."""
    code, out, err = run("init", "--no-config", *flags)
    assert code == 0 and (err.startswith("wrote ") if "-o" in flags and "-" not in flags else err == "")
    return out


def uncommented(text: str) -> dict:
    """The questionnaire with every line to fill in uncommented (the `# ` in the first column deleted), read
    as YAML: the whole structure a preparer can fill in, each value None."""
    keys = re.compile(r"^ *(#|[a-z_0-9]+A?:|-$|\"[^\"]+\":)")  # item4A
    return yaml.safe_load("".join(line[2:] if line.startswith("# ") and keys.match(line[2:]) else line
                                  for line in text.splitlines(keepends=True)))


def pointers(node: object, at: str = "") -> set[str]:
    """Every key's JSON pointer in a document, list entries as `*`."""
    found = {at} if at else set()
    if isinstance(node, dict):
        for key, value in node.items():
            found |= pointers(value, f"{at}/{key}")
    elif isinstance(node, list):
        for value in node:
            found |= pointers(value, f"{at}/*")
    return found


def field_pointers(fact_type: str, path: str) -> set[str]:
    return {f"{where}/{path.replace('.', '/')}" for where in fact_model().types[fact_type].pointers}


def test_the_questionnaire_validates_and_checks_as_written_for_every_profile(run):
    for number, flags in enumerate(PROFILES):
        name = f"draft{number}.yaml"
        init(run, *YEAR_END, *flags, "-o", name)
        assert run("validate", name) == (0, f"{name}: valid\n", ""), flags
    for name in ("draft0.yaml", f"draft{len(PROFILES) - 1}.yaml"):
        code, out, _ = run("check", name, "--no-config", "--format", "json", "--allow-incomplete")
        assert code == 0 and '"findings": []' in out


def test_every_field_a_rule_reads_is_in_the_questionnaire_of_a_profile_answering_nothing(run):
    present = pointers(uncommented(init(run, *YEAR_END)))
    ruleset = load_rules()
    read = readers(ruleset.rules, ruleset.derivations, fact_model())
    fact_types = {fact_type for fact_type, _ in read}
    assert {p.fact_type for rule in ruleset.rules for p in rule.patterns} <= fact_types  # every type a rule reads
    missing = {(fact_type, path) for fact_type, path in read if not field_pointers(fact_type, path) <= present}
    assert not missing


def test_a_profile_leaves_out_only_sections_no_rule_applying_to_it_reads_and_names_them(run):
    text = init(run, *IFRS_ADS_NOT_CHINA)
    present = pointers(uncommented(text))
    assert "/item3/china_based_issuer" not in present
    assert ("#   # -- Item 3. Key Information: item3.china_based_issuer is left out: the rules that read it "
            "(PC-3-002,\n#   # PC-3-003, PC-3-004, PC-3-005, PC-3-009, PC-3-010, PC-3-011) cannot apply to this profile") in text
    ruleset = load_rules()
    profile = Profile(datetime.date(2025, 12, 31), basis_of_accounting="IFRS", securities="ads", china_based=False)
    applying = [rule for rule in ruleset.rules if not ruled_out(rule, profile)]
    header = text.split("# Rules that cannot apply to this profile, not named as readers below: ")[1].split(" (excluded")[0]
    listed = re.findall(r"PC-[0-9A-K]+-[0-9]{3}", header)
    assert len(applying) == len(ruleset.rules) - len(listed)  # the rules the header lists
    assert {"PC-3-002", "PC-18-001", "PC-18-239"} <= set(listed) and "PC-18-160" not in listed  # US GAAP out, IFRS in
    for (fact_type, path) in readers(applying, ruleset.derivations, fact_model()):
        assert field_pointers(fact_type, path) <= present, (fact_type, path)


def test_the_profile_answers_are_real_values_of_the_filer_block(run):
    data = yaml.safe_load(init(run, *YEAR_END, "--name", "Lanternfish Holdings Ltd.", "--accounting", "us-gaap",
                               "--ordinary-shares", "--china-based", "--not-egc", "--filer-status", "accelerated"))
    assert data == {"format_version": 1,
                    "filer": {"name": "Lanternfish Holdings Ltd.", "form": "20-F",
                              "fiscal_year_end": datetime.date(2025, 12, 31), "basis_of_accounting": "US GAAP",
                              "filer_status": "accelerated_filer", "emerging_growth_company": False,
                              "principal_operations_country": "CN"},
                    "not_applicable": {"12.D": "The company has no American Depositary Shares: its ordinary shares "
                                               "are listed directly."}}


def test_a_judgement_is_asked_and_left_unanswered(run):
    text = init(run, *IFRS_ADS_NOT_CHINA)
    assert ("#       # True or false: the risk the factor describes as hypothetical has in fact occurred (Item 3.D).\n"
            "#       # True / false. Left out: not answered, so the rules that read it cannot decide it (NOT ASSESSED).\n"
            "#       # Read by PC-3-001.\n"
            "#       has_occurred:\n") in text


def test_the_header_names_the_command_the_profile_and_the_rules_it_rules_out(run):
    lines = init(run, *IFRS_ADS_NOT_CHINA).splitlines()
    assert lines[:2] == ["# A first description of a Form 20-F for precomment, to fill in. Written by: precomment "
                         "init --fiscal-year-end", "# 2025-12-31 --accounting ifrs --ads --not-china-based"]
    assert lines[14:18] == [
        "# Profile: fiscal year ended 2025-12-31; basis of accounting IFRS; American Depositary Shares; not",
        "# China-based; emerging growth company not answered; filer status not answered.",
        "# Rules that cannot apply to this profile, not named as readers below: PC-3-002, PC-3-003, PC-3-004, PC-3-005,",
        "# PC-3-006, PC-3-009, PC-3-010, PC-3-011, PC-5-023, PC-5-422, PC-17-003, PC-18-001, PC-18-002, PC-18-003,"]
    end = next(index for index, line in enumerate(lines) if line.endswith("answers above)."))
    assert lines[end + 1] == "" and " ".join(lines[end - 1:end + 1]).endswith(
        "PC-5-025 (excluded by the filer's answers above).")


def test_sections_come_in_the_order_of_the_form_under_their_item_captions(run):
    text = init(run, *YEAR_END)
    banners = re.findall(r"^# =+ (Item \S+)\. ", text, re.MULTILINE)
    assert banners[:5] == ["Item 1", "Item 2", "Item 3", "Item 4", "Item 4A"] and banners[-3:] == ["Item 17", "Item 18",
                                                                                                   "Item 19"]
    sections = re.findall(r"^#\s+# -- Item (\S+?)\.? ", text, re.MULTILINE)
    assert sections.index("4.C") < sections.index("4.D") < sections.index("16A") < sections.index("16I") < \
        sections.index("16K")


def test_the_same_arguments_give_the_same_bytes(run):
    assert init(run, *IFRS_ADS_NOT_CHINA) == init(run, *IFRS_ADS_NOT_CHINA)
    init(run, *IFRS_ADS_NOT_CHINA, "-o", "a.yaml")
    init(run, *IFRS_ADS_NOT_CHINA, "-o", "b.yaml")
    assert (run.path / "a.yaml").read_bytes() == (run.path / "b.yaml").read_bytes()


def test_no_output_or_a_dash_writes_to_standard_output(run):
    assert init(run, *YEAR_END, "-o", "-") == init(run, *YEAR_END)
    assert list(run.path.iterdir()) == []


def test_a_file_is_written_new_and_never_overwritten_without_force(run):
    code, out, err = run("init", "--no-config", *YEAR_END, "-o", "draft.yaml")
    assert (code, out, err) == (0, "", "wrote draft.yaml: fill it in, then run `precomment check draft.yaml`\n")
    written = (run.path / "draft.yaml").read_text(encoding="utf-8")
    (run.path / "draft.yaml").write_text("format_version: 1\n", encoding="utf-8")
    code, out, err = run("init", "--no-config", *YEAR_END, "-o", "draft.yaml")
    assert (code, out) == (2, "")
    assert err == ("precomment: --output draft.yaml already exists; precomment init never overwrites a file. Give "
                   "another file name, or --force to replace it\n")
    assert (run.path / "draft.yaml").read_text(encoding="utf-8") == "format_version: 1\n"
    assert run("init", "--no-config", *YEAR_END, "-o", "draft.yaml", "--force")[0] == 0
    assert (run.path / "draft.yaml").read_text(encoding="utf-8") == written


@pytest.mark.parametrize("flags, message", [
    ([*YEAR_END, "--ads", "--ordinary-shares"], "argument --ordinary-shares: not allowed with argument --ads"),
    ([*YEAR_END, "--accounting", "gaap"], "argument --accounting: invalid choice: 'gaap'"),
    (["--fiscal-year-end", "31/12/2025"], "'31/12/2025' is not a date in the form YYYY-MM-DD"),
])
def test_bad_usage_is_exit_2_saying_what_is_wrong(run, capsys, flags, message):
    with pytest.raises(SystemExit) as raised:
        run("init", *flags)
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


class Terminal(io.StringIO):
    """Standard input typed at a terminal."""

    def isatty(self) -> bool:
        return True


def test_without_a_fiscal_year_end_init_asks_on_a_terminal_each_question_no_flag_answers(run, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("2025-02-30\n2025-12-31\n\nIFRS\nmaybe\nno\naccelerated\n"))
    code, out, err = run("init", "--no-config", "--ordinary-shares", "--not-egc")
    assert code == 0
    assert out.splitlines()[:2] == ["# A first description of a Form 20-F for precomment, to fill in. Written by: "
                                    "precomment init --fiscal-year-end", "# 2025-12-31 --accounting ifrs "
                                    "--ordinary-shares --not-china-based --not-egc --filer-status accelerated"]
    later = " (Enter: leave it to answer later): "
    assert err == ("Last day of the fiscal year the report covers (YYYY-MM-DD): " * 2
                   + "The registrant's exact name" + later
                   + "Basis of the financial statements [ifrs/us-gaap/other]" + later
                   + ("A China-based issuer (operations or incorporation in CN, HK or MO) [yes/no]" + later) * 2
                   + "Filer status under Rule 12b-2 [large-accelerated/accelerated/non-accelerated]" + later)


@pytest.mark.parametrize("stdin, message", [
    (io.StringIO("2025-12-31\n"), "precomment init needs --fiscal-year-end YYYY-MM-DD, the last day of the fiscal "
                                  "year the report covers (on a terminal, without it, init asks)"),
    (Terminal(""), "precomment init needs the fiscal year end; none was given"),
])
def test_without_a_fiscal_year_end_given_or_typed_it_is_a_usage_error(run, monkeypatch, stdin, message):
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = run("init", "--no-config")
    assert (code, out) == (2, "")
    assert err.endswith(f"precomment: {message}\n")


def test_the_profile_words_are_the_filing_schema_values():
    filer = fact_model().types["filer"].fields
    assert set(ACCOUNTING.values()) == set(filer["basis_of_accounting"].enum or ())
    assert set(FILER_STATUS.values()) == set(filer["filer_status"].enum or ())


def test_absence_is_the_schema_x_absent_and_else_follows_the_kind():
    assert absence({"type": "boolean", "x-absent": "not-disclosed"}) == "not-disclosed"
    assert absence({"type": "string", "x-absent": "unanswered"}) == "unanswered"
    assert absence({"type": "boolean"}) == "unanswered"
    assert absence({"type": "array"}) == "none"
    assert absence({"type": "number"}) == absence({"x-def": "page"}) == "not-disclosed"


def test_the_questionnaire_says_what_the_schema_annotations_say():
    schema = copy.deepcopy(load_schema(FILING_SCHEMA))
    filer = schema["properties"]["filer"]["properties"]
    filer["emerging_growth_company"]["x-absent"] = "not-disclosed"
    filer["cik"]["x-informational"] = "identifies the registrant; no requirement turns on it"
    ruleset = load_rules()
    text = Questionnaire(Profile(datetime.date(2025, 12, 31)), readers(ruleset.rules, ruleset.derivations, fact_model()),
                         ruleset.rules, fact_model(), schema).text("precomment init")
    assert ("  # True / false. Left out: the filing does not give it. Read by PC-15-004, PC-18-102, PC-18-109.\n"
            "#   emerging_growth_company:\n") in text
    assert ("  # Text. Left out: the filing does not give it. Read by no rule (identifies the registrant; no requirement\n"
            "  # turns on it).\n#   cik:\n") in text


@pytest.mark.parametrize("description, asked", [
    ("Whether the default was cured within 30 days.", "True or false: the default was cured within 30 days."),
    ("Whether Item 4A discloses the substance of the comment.", "True or false: Item 4A discloses the substance of the "
                                                                "comment."),
    ("For a contract: whether it was made in the ordinary course of business.",
     "For a contract, true or false: it was made in the ordinary course of business."),
    ("The counterparty is the only source of what it supplies.",
     "True or false: the counterparty is the only source of what it supplies."),
])
def test_a_judgement_is_asked_as_true_or_false(description, asked):
    assert question(description, "boolean") == asked
    assert question(description, "string") == description


def test_the_readme_example_writes_a_draft_that_checks(run):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"^precomment init (--fiscal-year-end .*-o draft\.yaml)$", readme, re.MULTILINE)
    init(run, *shlex.split(command))
    code, out, _ = run("check", "draft.yaml", "--no-config")
    # nothing is described yet: every rule that applies is not assessed, and the gate names the missing items
    assert code == 1 and "rules not assessed; not accounted for: Items 1, 2, 3, " in out
    assert out.endswith("FAILED by 29 Form items not accounted for.\n")
    code, out, _ = run("check", "draft.yaml", "--no-config", "--allow-incomplete")
    assert code == 0 and out.endswith("Gate --fail-on error --allow-incomplete: passed.\n")
