"""What the likely comment letter and the response skeleton share (formats/letter.py, formats/response.py):
the filing's comments numbered and headed as the staff would, the `Re:` block, dates as the staff writes
them, and plain text wrapped at 80 columns. Both formats number and head the comments here, so that the
response answers the letter's comments under the same numbers; neither format imports the other.

The staff heads its comments by Form item and by the section and page commented on ("Item 4. Information
on the Company", then "Property, Plants and Equipment, page 26"), numbers them consecutively through the
filing, and writes one comment per concern even when it names several subjects: one comment on the
carrier agreements names NTT Communications, KDDI, NTT East and NTT West. So one rule's unwaived findings
in one filing make one comment (`merge`), and comments follow the filing's order (item, then page).
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ...checking.findings import Finding, page_key
from ...checking.result import FilingResult
from ...validation.formitems import caption, item_key, part_caption, top_item
from ..drafts import is_draft
from ..model import Context
from ..text import one_line, plain
from ..text import wrap as text_wrap
from ..wording import not_checked as why_not_checked
from . import joined

WIDTH = 80
RULE_LINE = "-" * WIDTH
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z\"(\[])")
_STATEMENT_ITEMS = ("17", "18")  # no lettered parts: the staff heads these comments with the note's caption
_ARTICLES = {"a", "an", "the"}
# The phrases by which the bundled rules' comments refer back to their one subject, and what they become
# in a sentence a merged comment writes once for several. Only phrases that cannot mean anything else:
# "this report" or "in this regard" never refer to the subject, and "this trend is" needs its verb too.
_PLURAL_REFERENCES = ((re.compile(r"\bincluding this one\b"), "including these"),)
# A last word whose full stop is its own: initials ("B.V.", "S.A.") or a company-form abbreviation.
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Inc|Ltd|Co|Corp|Bhd|Pty|Ltda|Cia|Jr|Sr|Bros|Mfg)\.)$")
_SMALL_WORDS = {"a", "an", "and", "for", "in", "of", "on", "or", "the", "to"}


@dataclass(frozen=True)
class Block:
    """One paragraph of a comment; `label` is "(a)", "(b)"... for a sub-point, None for running text."""

    text: str
    label: str | None = None


@dataclass(frozen=True)
class Comment:
    """One numbered comment: the merged text of one rule's open findings in one filing."""

    number: int
    rule_id: str
    item: str  # the Form item heading it sits under, e.g. "Item 4. Information on the Company"
    section: str | None  # the section heading, e.g. "Business Overview, page 12"
    blocks: tuple[Block, ...]
    findings: tuple[Finding, ...]


def join_letters(letters: Iterable[str]) -> Iterator[str]:
    """One letter per filing, separated by a double rule."""
    yield from joined("\n\n" + "=" * WIDTH + "\n\n", (text.rstrip("\n") for text in letters))
    yield "\n"


# --- numbering and headings --------------------------------------------------------------------------

def comments(result: FilingResult) -> list[Comment]:
    """The filing's comments, numbered from 1 in filing order: one per rule, from its unwaived findings."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if not finding.waived:
            by_rule.setdefault(finding.rule_id, []).append(finding)
    ordered = sorted(by_rule.values(), key=lambda group: _position(group[0]))
    return [Comment(number, group[0].rule_id, caption(group[0].form_item), section_heading(group),
                    tuple(merge([plain(f.comment) for f in group])), tuple(group))
            for number, group in enumerate(ordered, start=1)]


def _position(finding: Finding) -> tuple[Any, ...]:
    """Filing order: by Form item, then page (printed pages before F-pages), then the finding's own order."""
    return (item_key(top_item(finding.form_item)), page_key(finding.page), finding.sort_key())


def section_heading(findings: list[Finding]) -> str | None:
    """"Business Overview, page 12": the lettered part's caption (or, in the financial statements, the
    note's) and the pages of the findings; None when neither is known."""
    first = findings[0]
    label = part_caption(first.form_item) or _note_caption(first)
    pages = list(dict.fromkeys(plain(f.page) for f in findings if f.page))
    where = (f"page {pages[0]}" if len(pages) == 1 else f"pages {join_list(pages)}") if pages else None
    if label and where:
        return f"{label}, {where}"
    return label or (where[0].upper() + where[1:] if where else None)


def _note_caption(finding: Finding) -> str | None:
    """For Items 17 and 18, the note the subject sits in, from its pointer: /financial_statements/income_taxes/..
    -> "Income Taxes"."""
    parts = finding.pointer.split("/")
    if top_item(finding.form_item) not in _STATEMENT_ITEMS or len(parts) < 3 or parts[1] != "financial_statements":
        return None
    words = one_line(parts[2].replace("_", " ")).split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)) or None


def body(numbered: list[Comment], after: Callable[[Comment], list[str]] = lambda comment: []) -> list[str]:
    """The comments under their headings, as lines; `after(comment)` adds lines below each one (the
    response skeleton's room for the answer). A heading is printed when it changes."""
    lines: list[str] = []
    item = section = None
    for comment in numbered:
        if comment.item != item:
            lines += [""] + wrap(comment.item, "", "")
            item, section = comment.item, None
        if comment.section != section and comment.section:
            lines += [""] + wrap(comment.section, "", "")
        section = comment.section
        lines += [""] + comment_lines(comment) + after(comment)
    return lines


def comment_lines(comment: Comment) -> list[str]:
    """A comment wrapped at 80 columns: "12. text..." with a hanging indent; sub-points indented under it."""
    number = f"{comment.number}. "
    indent = " " * len(number)
    lines: list[str] = []
    for index, block in enumerate(comment.blocks):
        first = number if index == 0 else indent
        if block.label:
            label = f"{block.label} "
            lines += wrap(block.text, first + label, indent + " " * len(label))
        else:
            lines += wrap(block.text, first, indent)
    return lines


def wrap(text: str, first: str, rest: str) -> list[str]:
    """Wrap to 80 columns; hyphenated citations (ASC 606-10-25-19) are never split, over-long words are
    (a name of megabytes in linear time: `text.wrap`)."""
    return text_wrap(text, WIDTH, first, rest) or [first.rstrip()]


# --- merging the findings of one rule into one comment ------------------------------------------------

def merge(texts: list[str]) -> list[Block]:
    """One comment from the rendered comments of one rule's findings.

    The comments come from one template, so they differ only where the subjects' values go. Sentence by
    sentence: a sentence the same in all is written once; one that differs in a short span (a name, a
    year) is written once with the spans listed ("... agreements with NTT Communications, KDDI and NTT
    West ..."); the sentences that differ more become lettered sub-points (a), (b)... between the shared
    sentences before and after them. Comments whose sentences do not line up become sub-points whole.
    """
    texts = list(dict.fromkeys(texts))
    if len(texts) == 1:
        return [Block(texts[0])]
    return [block if block.label else Block(_plural(block.text)) for block in _merged(texts)]


def _plural(text: str) -> str:
    """A sentence written once for several subjects, with its references back to the subject in the plural
    ("..., including these, ..." after two exhibits, never "including this one")."""
    for singular, plural in _PLURAL_REFERENCES:
        text = singular.sub(plural, text)
    return text


def _merged(texts: list[str]) -> list[Block]:
    """`merge` of two or more different texts, with the wording of each as it was rendered."""
    split = [_sentences(text) for text in texts]
    if len({len(sentences) for sentences in split}) != 1:
        return _points(texts)
    merged = [_merge_sentence([sentences[i] for sentences in split]) for i in range(len(split[0]))]
    varying = [i for i, sentence in enumerate(merged) if sentence is None]
    if not varying:
        return [Block(" ".join(s for s in merged if s))]
    start, end = varying[0], varying[-1] + 1
    blocks = [Block(" ".join(s for s in merged[:start] if s is not None))] if start else []  # (only varying ones are None)
    blocks += _points([" ".join(sentences[start:end]) for sentences in split])
    if end < len(merged):
        blocks.append(Block(" ".join(s for s in merged[end:] if s)))
    return blocks


def _sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(text)


def _points(texts: Iterable[str]) -> list[Block]:
    return [Block(text, f"({_letter_label(index)})") for index, text in enumerate(dict.fromkeys(texts))]


def _letter_label(index: int) -> str:
    """a, b, ... z, aa, ab, ...: sub-point labels that never run out."""
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord("a") + remainder) + label
    return label


def _merge_sentence(variants: list[str]) -> str | None:
    """The variants of one sentence as one sentence, or None when they differ too much to list inline."""
    distinct = list(dict.fromkeys(variants))
    if len(distinct) == 1:
        return distinct[0]
    if not all(distinct):
        return None
    ends = {v[-1] if v[-1] in ".?!" else "" for v in distinct}
    if len(ends) != 1:
        return None
    end = ends.pop()
    words = [(v[:-1] if end else v).split(" ") for v in distinct]
    shortest = min(len(w) for w in words)
    prefix, suffix = _shared_ends(words, shortest)
    middles = [" ".join(w[prefix:len(w) - suffix]) for w in words]
    if any(not m for m in middles) or 2 * (prefix + suffix) < shortest:
        return None
    mark = middles[0][-1]
    if mark in ",;:" and all(m.endswith(mark) for m in middles):  # "(4,300,000), as shown": one comma, after all
        middles = [m[:-1] for m in middles]
    else:
        mark = ""
    tail = words[0][len(words[0]) - suffix:] if suffix else []
    if suffix or mark:
        return " ".join(words[0][:prefix] + [join_list(list(dict.fromkeys(middles))) + mark] + tail) + end
    # The spans end the sentence, so its full stop may also have been a name's ("owned by Acme Inc."):
    # each name keeps its own, and the sentence still ends once ("Acme Inc. and Beta N.V.", not "Acme Inc").
    listed = join_list(list(dict.fromkeys(m + end if end == "." and _abbreviation(m + end) else m for m in middles)))
    return " ".join(words[0][:prefix] + [listed]) + ("" if end == "." and listed.endswith(".") else end)


def _abbreviation(text: str) -> bool:
    """Whether the full stop ending `text` belongs to its last word: "B.V.", "U.S.", "Inc.", "Ltd."."""
    return bool(_ABBREVIATION.search(text))


def _shared_ends(words: list[list[str]], shortest: int) -> tuple[int, int]:
    """How many leading and trailing words all variants share, backed off so that each differing span
    keeps the whole of the names in it ("NTT East and NTT West", "Agreement 1 and Agreement 2", "Alpha Co.,
    Ltd. and Beta Co., Ltd.", never "NTT East and West" or "Alpha and Beta Co., Ltd."), its article ("the
    shift ... and the weak economy") and its brackets and quotes ("Koichi Suzuki (12,000 shares)", never
    "Koichi Suzuki (12,000")."""
    prefix = _common_length(words, shortest)
    suffix = _common_length([w[prefix:][::-1] for w in words], shortest - prefix)
    while prefix > 1 and _name_word(words[0][prefix - 1]) and all(_name_word(w[prefix], digits=True) for w in words):
        prefix -= 1  # a shared first word of the names: "NTT" of NTT East and NTT West
    while suffix and _name_word(words[0][-suffix]) and all(_name_word(w[-suffix - 1]) for w in words):
        suffix -= 1  # a shared last word of the names: "Ltd." of Alpha Co., Ltd. and Beta Co., Ltd.
    while prefix and words[0][prefix - 1].lower() in _ARTICLES:
        prefix -= 1
    while not all(_balanced(w[prefix:len(w) - suffix]) for w in words) and (prefix or suffix):
        if suffix:
            suffix -= 1
        else:
            prefix -= 1
    return prefix, suffix


def _name_word(word: str, digits: bool = False) -> bool:
    """Whether a word reads as part of a name: a capital first ("Agreement", "NTT", "Ltd."), or with
    `digits` a digit ("1" of "Agreement 1")."""
    return word[:1].isupper() or (digits and word[:1].isdigit())


def _balanced(words: list[str]) -> bool:
    text = " ".join(words)
    return (text.count("(") == text.count(")") and text.count("[") == text.count("]")
            and text.count('"') % 2 == 0)


def _common_length(lists: list[list[str]], limit: int) -> int:
    length = 0
    while length < limit and len({words[length] for words in lists}) == 1:
        length += 1
    return length


def join_list(items: list[str]) -> str:
    """"A and B"; "A, B and C"; with "; " between three or more items that hold commas themselves ("A, x; B,
    y; and C")."""
    if len(items) == 1:
        return items[0]
    if any(", " in item for item in items) and len(items) > 2:  # two items: "and" alone separates them
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the filing and its dates ------------------------------------------------------------------------

def long_date(day: datetime.date) -> str:
    """"September 30, 2009", the same in every locale."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def form_line(result: FilingResult) -> str:
    """"Form 20-F for the Fiscal Year Ended March 31, 2009", as the staff names the filing."""
    filer = result.filer
    text = f"Form {one_line(str(filer.get('form', '20-F')))}"
    year_end = filer.get("fiscal_year_end")
    if year_end:
        try:
            text += f" for the Fiscal Year Ended {long_date(datetime.date.fromisoformat(str(year_end)))}"
        except ValueError:
            text += f" for the Fiscal Year Ended {one_line(str(year_end))}"
    return text


def reference_lines(result: FilingResult, today: datetime.date) -> list[str]:
    """The "Re:" block: the filer, the form and year, and the filing date and file number where known. A
    draft (drafts.is_draft) is "To be filed" on its date: it has not been filed on `today`."""
    filer = result.filer
    lines = wrap(f"Re: {filer_name(result)}", "", "    ") + wrap(form_line(result), "    ", "    ")
    if filer.get("filing_date"):
        try:
            filed = long_date(datetime.date.fromisoformat(str(filer["filing_date"])))
        except ValueError:
            filed = one_line(str(filer["filing_date"]))
        lines += wrap(f"{'To be filed' if is_draft(filer, today) else 'Filed'} {filed}", "    ", "    ")
    if filer.get("file_number"):
        lines += wrap(f"File No. {one_line(str(filer['file_number']))}", "    ", "    ")
    return lines


def filer_name(result: FilingResult) -> str:
    return one_line(str(result.filer.get("name") or result.source))


def letter_date(context: Context) -> datetime.date:
    return context.letter_date or context.today


def paragraphs(*texts: str) -> list[str]:
    lines: list[str] = []
    for text in texts:
        lines += [""] + wrap(text, "", "")
    return lines


def not_checked(result: FilingResult) -> str:
    return "\n".join(wrap(f"{plain(result.source)}: not checked: {why_not_checked(result.problems)} "
                          "(reported on standard error)", "", "")) + "\n"
