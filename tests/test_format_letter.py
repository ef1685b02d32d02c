"""The letter preview and the response skeleton: exact text, the staff's numbering and headings, one comment
per rule, and the IIJ preview traced back to every comment of the staff's real letter."""
from __future__ import annotations

import re

import pytest
from conftest import IIJ, IIJ_AMENDED, golden, run_process, runner_in
from precomment.checking.review import load_waivers
from precomment.reports.formats import correspondence
from precomment.reports.formats.correspondence import Block, merge
from precomment.reports.formats.response import due_line
from waiver_review import apply_waivers

WAIVERS = "tests/data/iij-waivers.yaml"
HOSTILE = "tests/data/hostile-20f.yaml"
DATES = ("--today", "2009-09-30", "--letter-date", "2009-09-30")
REAL_LETTER = "iij-2009-09-30"


def _numbered(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"\d+\. ", line)]


def test_iij_letter_preview_golden(cli):
    code, out, err = cli("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "letter")
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.letter.txt", out)


def test_iij_response_skeleton_golden(cli):
    code, out, err = cli("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "response")
    assert (code, err) == (1, "")
    assert out == golden("iij-fy2009-20f.response.txt", out)


def test_response_quotes_the_letters_comments_under_the_same_numbers(cli):
    _, preview, _ = cli("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "letter")
    _, response, _ = cli("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "response")
    numbered = _numbered(preview)
    assert [line.split(".")[0] for line in numbered] == [str(n) for n in range(1, 22)]
    assert _numbered(response) == numbered
    assert response.count("Response: [ ... ]") == 21


# Where the staff's sixteen comments (iij-2009-09-30) land in the preview of the filing as it stood, with no
# waivers: the staff's heading, then the preview's. Items 17 and 18: IIJ's statements were under Item 17, the
# rules file them under Item 18; the staff's note numbers and the filing's own captions ("Total Revenues",
# "Cash Flows") are not in the description, so the preview uses the Form's part captions and the note's key.
REAL_COMMENTS = {
    1: ("Business Overview, page 12", [(1, "Item 4. Information on the Company", "Business Overview, page 12"),
                                        (2, "Item 4. Information on the Company", "Business Overview, page 12")]),
    2: ("Property, Plants and Equipment, page 26",
        [(3, "Item 4. Information on the Company", "Property, Plants and Equipment, page 26"),
         (4, "Item 4. Information on the Company", "Property, Plants and Equipment, page 26"),
         (22, "Item 19. Exhibits", "Page 77")]),
    3: ("A. Operating Results / Overview, page 27",
        [(5, "Item 5. Operating and Financial Review and Prospects", "Operating Results, page 27")]),
    4: ("Total Revenues, page 29", [(6, "Item 5. Operating and Financial Review and Prospects", "Operating Results, page 29")]),
    5: ("Total Revenues, page 29", [(7, "Item 5. Operating and Financial Review and Prospects", "Operating Results, page 29")]),
    6: ("B. Liquidity and Capital Resources / Cash Flows, page 43",
        [(8, "Item 5. Operating and Financial Review and Prospects", "Liquidity and Capital Resources, page 43")]),
    7: ("Directors and Senior Management, page 50",
        [(9, "Item 6. Directors, Senior Management and Employees", "Share Ownership, page 50")]),
    8: ("Major Shareholders, page 54",
        [(10, "Item 7. Major Shareholders and Related Party Transactions", "Major Shareholders, page 54")]),
    9: ("Related Party Transactions, page 54",
        [(11, "Item 7. Major Shareholders and Related Party Transactions", "Related Party Transactions, page 54")]),
    10: ("Material Contracts, page 61", [(12, "Item 10. Additional Information", "Material Contracts, page 61")]),
    11: ("Note 1 / Revenue Recognition, page F-12", [(13, "Item 18. Financial Statements", "Revenue Recognition, page F-12")]),
    12: ("Note 1 / Revenue Recognition, page F-12", [(14, "Item 18. Financial Statements", "Revenue Recognition, page F-12")]),
    13: ("Note 7. Goodwill and Other Intangible Assets, page F-22",
         [(15, "Item 18. Financial Statements", "Intangible Assets, page F-22"),
          (16, "Item 18. Financial Statements", "Intangible Assets, page F-22")]),
    # the staff's comment 14 also asks about the rate reconciliation on page F-29, in the same note: the
    # preview's comment on it is headed with the page it cites (the finding's own page, in the note)
    14: ("Note 10. Income Taxes, page F-27", [(17, "Item 18. Financial Statements", "Income Taxes, page F-27"),
                                              (18, "Item 18. Financial Statements", "Income Taxes, page F-29")]),
    15: ("Note 17. Fair Value Measurements, page F-41", [(19, "Item 18. Financial Statements", "Fair Value, page F-41"),
                                                         (20, "Item 18. Financial Statements", "Fair Value, page F-41")]),
    16: ("Item 19. Exhibits, page 77", [(21, "Item 19. Exhibits", "Page 77")]),
}


def test_every_comment_of_the_real_letter_is_in_the_preview_under_its_heading(checker):
    comments = correspondence.comments(checker.check_path(IIJ))
    traced: dict[int, list[tuple[int, str, str | None]]] = {}
    for comment in comments:
        real = {p.comment for f in comment.findings for p in f.precedents if p.letter == REAL_LETTER}
        assert len(real) == 1, (comment.number, real)  # every preview comment comes from exactly one real one
        traced.setdefault(real.pop(), []).append((comment.number, comment.item, comment.section))
    assert traced == {number: landed for number, (_, landed) in REAL_COMMENTS.items()}


def test_the_findings_of_one_rule_make_one_comment(checker):
    comments = correspondence.comments(checker.check_path(IIJ))
    assert [c.rule_id for c in comments] == list(dict.fromkeys(c.rule_id for c in comments))
    carriers = next(c for c in comments if c.rule_id == "PC-19-001")
    assert [f.subject for f in carriers.findings] == ["NTT Communications", "KDDI", "NTT East", "NTT West"]
    assert carriers.blocks == (Block(
        'We note from your disclosure under the risk factor subcaption "We rely greatly on other '
        'telecommunications carriers and other suppliers, and could be affected by disruptions" on page 11 '
        "that you rely on NTT Communications for network backbone, KDDI for network backbone and local access "
        "lines, NTT East for local access lines and NTT West for local access lines. It appears from your "
        "disclosures that your operations are substantially dependent on your contractual relationship with "
        "NTT Communications, KDDI, NTT East and NTT West and that the agreements evidencing this relationship "
        "should be filed as exhibits to your Form 20-F. Please advise. See Instruction 4(b)(ii) as to Exhibits."),)


def test_waived_findings_leave_the_letter_and_are_listed_after_it(checker, ruleset):
    result = checker.check_path(IIJ)
    import datetime
    apply_waivers([result], load_waivers(WAIVERS), datetime.date(2009, 9, 30), (r.id for r in ruleset.rules))
    comments = correspondence.comments(result)
    assert len(comments) == 21
    assert [f.subject for c in comments if c.rule_id == "PC-4-002" for f in c.findings] == ["Juniper Networks"]
    assert "PC-19-003" not in {c.rule_id for c in comments}
    assert sum(len(c.findings) for c in comments) == 43  # 45 findings, 2 waived


def test_merge_writes_a_sentence_once_when_it_is_the_same_for_every_subject():
    assert merge(["Please advise. Refer to Item 7.", "Please advise. Refer to Item 7."]) == [
        Block("Please advise. Refer to Item 7.")]


def test_merge_lists_the_differing_spans_inline():
    assert merge(["We note your reliance on KDDI. Please advise.", "We note your reliance on NTT East. Please advise.",
                  "We note your reliance on NTT West. Please advise."]) == [
        Block("We note your reliance on KDDI, NTT East and NTT West. Please advise.")]


def test_merge_keeps_articles_and_brackets_with_each_span():
    assert merge(["We note the shift to services (page 29).", "We note the weak economy (page 29)."]) == [
        Block("We note the shift to services and the weak economy (page 29).")]
    assert merge(["Please give the percentage for directors, including Koichi Suzuki (12,000 shares).",
                  "Please give the percentage for directors, including Akihisa Watai (60 shares)."]) == [
        Block("Please give the percentage for directors, including Koichi Suzuki (12,000 shares) and Akihisa Watai "
              "(60 shares).")]


def test_merge_lists_names_whole_when_they_share_a_first_or_last_word():
    def merged(template: str, *names: str) -> str:
        [block] = merge([template.format(name) for name in names])
        return block.text
    assert merged("It appears that the {} should be filed as an exhibit to your annual report.",
                  "Agreement 1", "Agreement 2") == (
        "It appears that the Agreement 1 and the Agreement 2 should be filed as an exhibit to your annual report.")
    assert merged("We note your reliance on {} for local access lines. Please advise.", "NTT East", "NTT West") == (
        "We note your reliance on NTT East and NTT West for local access lines. Please advise.")
    assert merged("Please disclose, for {}, the percentage of its shares owned by governmental entities.",
                  "Hangzhou Lanternfish Network Co., Ltd.", "Beijing Lanternfish Data Co., Ltd.") == (
        "Please disclose, for Hangzhou Lanternfish Network Co., Ltd. and Beijing Lanternfish Data Co., Ltd., the "
        "percentage of its shares owned by governmental entities.")


def test_merge_separates_spans_holding_commas_with_semicolons():
    assert merge(["We note your lease in Tokyo, Japan for offices.", "We note your lease in Osaka, Japan for data centres.",
                  "We note your lease in Kyoto for storage."]) == [
        Block("We note your lease in Tokyo, Japan for offices; Osaka, Japan for data centres; and Kyoto for storage.")]


def test_merge_makes_sub_points_of_sentences_that_differ_too_much():
    first = "We note that equipment sales changed by -17% from fiscal 2007 (5,200) to fiscal 2008 (4,300), as shown on page 29."
    second = ("We note that systems integration revenues changed by 19% from fiscal 2007 (26,000) to fiscal 2008 "
              "(31,000), as shown on page 29.")
    rest = " Please tell us why. Refer to Item 5.A."
    assert merge([first + rest, second + rest]) == [Block(first, "(a)"), Block(second, "(b)"),
                                                    Block(rest.strip())]
    # shared sentences before the differing ones stay before the sub-points
    assert merge(["Intro. " + first, "Intro. " + second]) == [Block("Intro."), Block(first, "(a)"), Block(second, "(b)")]


def test_merge_makes_whole_comments_sub_points_when_sentences_do_not_line_up():
    texts = ["We note X. Please advise.", "We note Y, Inc. Please tell us more. Please advise."]
    assert merge(texts) == [Block(texts[0], "(a)"), Block(texts[1], "(b)")]


def test_sub_point_labels_continue_past_z():
    blocks = merge([f"Subject{n} differs entirely{n}." for n in range(28)])
    assert [b.label for b in blocks][-3:] == ["(z)", "(aa)", "(ab)"]


def test_letter_and_response_of_a_hostile_filing_show_its_text_inert(cli):
    for name in ("letter", "response"):
        code, out, _ = cli("check", HOSTILE, *DATES, "--format", name)
        assert code == 1
        assert not re.search(r"[\x1b\u202a-\u202e\u2066-\u2069]", out)
        assert "Koichi \\u001b[31mRED\\u001b[0m \\u202eevil\\u202c [link](javascript:alert(1))" in " ".join(out.split())
        assert max(len(line) for line in out.splitlines()) <= 80
    assert ("Re: Initiative <script>document.title='PWNED';document.body.innerHTML='PWNED'</script> & Co. **Ltd** | x"
            in " ".join(out.split()))


def test_every_line_of_the_iij_preview_fits_in_80_columns(cli):
    for name in ("letter", "response"):
        _, out, _ = cli("check", IIJ, *DATES, "--format", name)
        assert max(len(line) for line in out.splitlines()) == 80  # wrapped to, and filling, 80 columns


def test_a_clean_filing_gets_a_letter_without_comments(cli):
    code, out, _ = cli("check", IIJ_AMENDED, *DATES, "--format", "letter")
    assert code == 0
    assert "We have reviewed the filing referenced above and have no comments." in out
    assert out.endswith("End of preview: 0 comments from 0 open findings.\n")
    code, out, _ = cli("check", IIJ_AMENDED, *DATES, "--format", "response")
    assert out.endswith("[No comments are predicted for this filing; there is nothing to respond to.]\n")


def test_a_filing_that_could_not_be_read_is_named_not_previewed(cli):
    code, out, err = cli("check", "tests/bad/alias.yaml", *DATES, "--format", "letter")
    assert code == 2
    assert out == "tests/bad/alias.yaml: not checked: 1 input error (reported on standard error)\n"
    assert err.startswith("tests/bad/alias.yaml:5:8: error [yaml-alias]")


@pytest.mark.parametrize("letter_date, expected", [
    ("2009-09-30", "Response due: October 15, 2009, ten business days after the staff's letter of September 30, "
                   "2009 (weekends and federal holidays not counted; holidays skipped: Columbus Day, October 12, "
                   "2009)."),
    # Thu 30 Dec 2021: Fri 31 Dec is New Year's Day 2022 observed; 3-7 Jan (5), 10-14 Jan (10).
    ("2021-12-30", "Response due: January 14, 2022, ten business days after the staff's letter of December 30, "
                   "2021 (weekends and federal holidays not counted; holidays skipped: New Year's Day (observed), "
                   "December 31, 2021)."),
    # Mon 3 Jun 2024: no holiday before Mon 17 Jun (Juneteenth is the 19th).
    ("2024-06-03", "Response due: June 17, 2024, ten business days after the staff's letter of June 3, 2024 "
                   "(weekends and federal holidays not counted)."),
])
def test_the_response_is_due_ten_business_days_after_the_letter(cli, letter_date: str, expected: str):
    _, out, _ = cli("check", IIJ, "--today", "2009-09-30", "--letter-date", letter_date, "--format", "response")
    assert expected in " ".join(out.split())
    import datetime
    assert due_line(datetime.date.fromisoformat(letter_date)) == expected


def test_letter_and_response_are_byte_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("0", "12345"):
        letter_path, response_path = tmp_path / f"letter-{seed}.txt", tmp_path / f"response-{seed}.txt"
        run_process("check", IIJ, "--waivers", WAIVERS, *DATES, "--format", "letter", "--output", str(letter_path),
                    "--format", "response", "--output", str(response_path), env={"PYTHONHASHSEED": seed})
        outputs.append((letter_path.read_bytes(), response_path.read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].startswith(b"PREVIEW generated by precomment")


def test_merge_keeps_every_word_of_every_finding_on_random_comments():
    """Seeded random comments from one template: merging never fails and never loses a word."""
    import random
    rng = random.Random(20090930)
    values = ["NTT East", "KDDI", "Koichi (12,000 shares)", "a [draft", 'the "x', "Inc. Filed", "fiscal 2009,",
              "=1+1", "", "Tokyo, Japan", "the weak economy", "(page F-12)", "x" * 90]
    for _ in range(300):
        template = rng.choice(["We note {} on page 11. Please tell us about {}. Refer to Item 4.B.",
                               "It appears that {} is material. Please advise.", "{} {}", "Please file {}."])
        texts = [" ".join(template.format(*(rng.choice(values) for _ in range(template.count("{}")))).split())
                 for _ in range(rng.randint(1, 5))]
        blocks = merge(texts)
        merged = " ".join(b.text for b in blocks)
        for text in texts:
            assert set(re.findall(r"[^\s,;.]+", text)) <= set(re.findall(r"[^\s,;.]+", merged)), (texts, blocks)
        lines = correspondence.comment_lines(correspondence.Comment(12, "PC-1", "Item 4", None, tuple(blocks), ()))
        assert all(len(line) <= 80 for line in lines)


def test_without_waivers_the_waived_findings_are_comments_again(checker):
    comments = correspondence.comments(checker.check_path(IIJ))
    assert len(comments) == 22
    analysis = next(c for c in comments if c.rule_id == "PC-4-002")
    assert analysis.number == 2 and analysis.blocks == (Block(
        "To the extent that your business or revenue stream is substantially dependent on your agreements with "
        "Cisco Systems and Juniper Networks, the agreements should be filed as exhibits to the Form 20-F pursuant "
        "to Instruction 4(b)(ii) as to Exhibits. Please provide us with an analysis, using quantified terms, as to "
        "whether you are substantially dependent on your agreements with Cisco Systems and Juniper Networks, "
        "referenced in your risk factor disclosure on page 11."),)
    assert (comments[-1].number, comments[-1].rule_id, comments[-1].section) == (22, "PC-19-003", "Page 77")


NAMES_ENDING_IN_FULL_STOPS = """\
format_version: 1
filer: {name: Example Holding B.V., form: 20-F, fiscal_year_end: 2024-12-31}
item7:
  major_shareholders:
    shares_outstanding: 10000
    holders:
%s"""
ACME = "      - {name: Acme Inc., shares: 1000, percent_of_class: 10, rights_within_60_days: 500, rights_included: false}\n"
BETA = ("      - {name: Beta Holdings N.V., shares: 900, percent_of_class: 9, rights_within_60_days: 400, "
        "rights_included: false}\n")
DOUBLED_FULL_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")  # "B.V.." (an ellipsis "..." is no doubled full stop)


@pytest.mark.parametrize("holders, sentence", [
    (ACME, "owned by Acme Inc. See Rule 13d-3(d)(1)(i)"),
    (ACME + BETA, "owned by Acme Inc. and Beta Holdings N.V. See Rule 13d-3(d)(1)(i)"),
    (BETA + ACME, "owned by Beta Holdings N.V. and Acme Inc. See Rule 13d-3(d)(1)(i)"),
])
def test_a_name_ending_in_a_full_stop_ends_the_sentence_once(tmp_path, monkeypatch, capsys, holders, sentence):
    """A value before a template's full stop ("{holder.name}.") ends the sentence itself: "Acme Inc. See",
    never "Acme Inc.. See"; and a merged comment listing such names keeps each name's own full stop."""
    run = runner_in(tmp_path, monkeypatch, capsys)
    (tmp_path / "filing.yaml").write_text(NAMES_ENDING_IN_FULL_STOPS % holders, encoding="utf-8")
    for name in ("letter", "response", "table", "markdown", "html"):
        code, out, err = run("check", "filing.yaml", "--no-config", *DATES, "--format", name)
        assert (code, err) == (1, "")
        assert not DOUBLED_FULL_STOP.search(out), name
        assert "Example Holding B.V." in out
        if name in ("letter", "response"):
            assert sentence in " ".join(out.split())


def test_a_waiver_owner_ending_in_a_full_stop_ends_the_sentence_once(tmp_path, monkeypatch, capsys):
    run = runner_in(tmp_path, monkeypatch, capsys)
    (tmp_path / "filing.yaml").write_text(NAMES_ENDING_IN_FULL_STOPS % ACME, encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n  - rule: PC-7-002\n    key: item7.major_shareholders.holders[Acme Inc.]\n"
        "    reason: Counted in the footnote.\n    owner: Example Holding B.V.\n", encoding="utf-8")
    code, out, err = run("check", "filing.yaml", "--no-config", *DATES, "--waivers", "waivers.yaml", "--format", "html",
                         "--allow-incomplete")
    assert (code, err) == (0, "")
    assert "<p>Owner: Example Holding B.V. No expiry date. Waiver at " in out
    assert not DOUBLED_FULL_STOP.search(out)


EXHIBITS = ('{number: "4.1", title: Carrier Agreement, kind: carrier_agreement, ordinary_course: false}',
            '{number: "4.2", title: Joint Venture Contract, kind: material_contract, ordinary_course: false}',
            '{number: "4.3", title: Trademark Licence, kind: license_agreement, ordinary_course: false}')


@pytest.mark.parametrize("count, first, reference", [
    # a description without a filing date is a draft: "you file", not "you filed" (reports/drafts.py)
    (1, "We note that you file the Carrier Agreement as Exhibit 4.1 to the Form 20-F.", "including this one"),
    (2, "We note that you file the Carrier Agreement as Exhibit 4.1 and the Joint Venture Contract as Exhibit "
        "4.2 to the Form 20-F.", "including these"),
    (3, "We note that you file the Carrier Agreement as Exhibit 4.1, the Joint Venture Contract as Exhibit 4.2 "
        "and the Trademark Licence as Exhibit 4.3 to the Form 20-F.", "including these"),
])
def test_a_merged_comment_agrees_in_number_with_the_subjects_it_covers(tmp_path, monkeypatch, capsys, count, first,
                                                                       reference):
    """One rule's findings make one comment; a sentence it writes once for all of them refers to them in
    the plural ("including these" after two exhibits), and to one subject in the singular."""
    run = runner_in(tmp_path, monkeypatch, capsys)
    exhibits = "".join(f"    - {exhibit}\n" for exhibit in EXHIBITS[:count])
    (tmp_path / "filing.yaml").write_text(
        "format_version: 1\nfiler: {name: Acme Inc., form: 20-F, fiscal_year_end: 2024-12-31}\n"
        "item10: {material_contracts: {contracts: []}}\n"  # Item 10.C described, with no contract discussed
        f"item19:\n  exhibits:\n{exhibits}", encoding="utf-8")
    for name in ("letter", "response"):
        code, out, err = run("check", "filing.yaml", "--no-config", *DATES, "--format", name)
        assert (code, err) == (1, "")
        text = " ".join(out.split())
        assert (f"{first} Please ensure that you have included in Item 10.C a discussion of all of the non-ordinary "
                f"course material contracts filed as exhibits to the Form 20-F, {reference}, that complies with "
                "Item 10.C of the Form.") in text
        assert text.count("Item 10.C a discussion") == 1  # one comment, whatever the number of exhibits


def test_merge_puts_only_the_sentences_written_once_for_several_subjects_in_the_plural():
    texts = [f"Exhibit {n} is {what}, and this one has no summary. Discuss all, including this one."
             for n, what in ((1, "a lease of offices signed in 2019"), (2, "a licence of trademarks agreed later"))]
    assert merge(texts) == [Block("Exhibit 1 is a lease of offices signed in 2019, and this one has no summary.", "(a)"),
                            Block("Exhibit 2 is a licence of trademarks agreed later, and this one has no summary.",
                                  "(b)"),
                            Block("Discuss all, including these.")]
    assert merge(texts[:1]) == [Block(texts[0])]
