"""A filer's profile for `precomment init`: the few answers that decide which Form items, sections and rules
apply to it (basis of accounting, ADSs or ordinary shares, China-based, emerging growth company, filer
status, fiscal year end), as the command line gives them and as the filer block writes them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, get_args

from ..errors import UsageError

Securities = Literal["ads", "ordinary"]
"""How the company's equity is listed in the United States: American Depositary Shares, or its ordinary
shares directly."""
SECURITIES: tuple[Securities, ...] = get_args(Securities)

ACCOUNTING = {"ifrs": "IFRS", "us-gaap": "US GAAP", "other": "other"}
"""`--accounting WORD` -> the filing schema's `filer.basis_of_accounting` (tests/test_init.py holds the two
to the same values)."""
FILER_STATUS = {"large-accelerated": "large_accelerated_filer", "accelerated": "accelerated_filer",
                "non-accelerated": "non_accelerated_filer"}
"""`--filer-status WORD` -> the filing schema's `filer.filer_status`."""

NAME_PLACEHOLDER = "(the registrant's exact name)"
OTHER_COUNTRY = "ZZ"
"""A country that is none of CN, HK and MO, for deciding which rules a profile that is not China-based rules
out: ZZ is a user-assigned ISO 3166 code, never a real country. It is never written to a description."""
NO_ADS_REASON = "The company has no American Depositary Shares: its ordinary shares are listed directly."


@dataclass(frozen=True)
class Profile:
    """What a filer answers before the questionnaire is written; None: not answered (left to fill in)."""

    fiscal_year_end: date
    name: str | None = None
    basis_of_accounting: str | None = None  # as the filing schema spells it: IFRS, US GAAP, other
    securities: Securities | None = None
    china_based: bool | None = None
    emerging_growth_company: bool | None = None
    filer_status: str | None = None  # large_accelerated_filer, accelerated_filer, non_accelerated_filer

    def filer(self) -> dict[str, Any]:
        """The filer block's answers, in the schema's field names. A China-based filer's principal
        operations are written as CN (the questionnaire says to write HK or MO instead where they are)."""
        answers: dict[str, Any] = {"name": self.name or NAME_PLACEHOLDER, "form": "20-F",
                                   "fiscal_year_end": self.fiscal_year_end.isoformat(),
                                   "basis_of_accounting": self.basis_of_accounting, "filer_status": self.filer_status,
                                   "emerging_growth_company": self.emerging_growth_company,
                                   "principal_operations_country": "CN" if self.china_based else None}
        return {key: value for key, value in answers.items() if value is not None}

    def known(self) -> dict[str, Any]:
        """The filer fact as far as the profile decides it: that of `filer`, and for a filer that is not
        China-based both countries OTHER_COUNTRY, so a rule asking for CN, HK or MO is ruled out."""
        known = self.filer()
        if self.china_based is False:
            known.update(principal_operations_country=OTHER_COUNTRY, country_of_incorporation=OTHER_COUNTRY)
        return known

    def not_applicable(self) -> dict[str, str]:
        """The Form items the profile itself declares not applicable: 12.D (ADSs) without ADSs."""
        return {"12.D": NO_ADS_REASON} if self.securities == "ordinary" else {}

    def summary(self) -> str:
        """The profile in words, each question answered or said to be unanswered."""
        said = [f"fiscal year ended {self.fiscal_year_end.isoformat()}",
                f"basis of accounting {self.basis_of_accounting}" if self.basis_of_accounting
                else "basis of accounting not answered",
                {"ads": "American Depositary Shares", "ordinary": "ordinary shares listed directly (no ADSs)",
                 None: "ADSs or ordinary shares not answered"}[self.securities],
                {True: "China-based", False: "not China-based", None: "China-based not answered"}[self.china_based],
                {True: "an emerging growth company", False: "not an emerging growth company",
                 None: "emerging growth company not answered"}[self.emerging_growth_company],
                f"{word(FILER_STATUS, self.filer_status)} filer" if self.filer_status else "filer status not answered"]
        return "; ".join(said) + "."

    def flags(self) -> list[str]:
        """The `precomment init` arguments that give this profile, in a fixed order (the questionnaire names
        the command that wrote it)."""
        words = ["--fiscal-year-end", self.fiscal_year_end.isoformat()]
        if self.name:
            words += ["--name", self.name]
        if self.basis_of_accounting:
            words += ["--accounting", word(ACCOUNTING, self.basis_of_accounting)]
        if self.securities:
            words.append("--ads" if self.securities == "ads" else "--ordinary-shares")
        if self.china_based is not None:
            words.append("--china-based" if self.china_based else "--not-china-based")
        if self.emerging_growth_company is not None:
            words.append("--egc" if self.emerging_growth_company else "--not-egc")
        if self.filer_status:
            words += ["--filer-status", word(FILER_STATUS, self.filer_status)]
        return words


def word(words: dict[str, str], value: str) -> str:
    """The command-line word for a schema value (`large_accelerated_filer` -> `large-accelerated`)."""
    return next(word for word, meant in words.items() if meant == value)


YES_NO = {"yes": True, "no": False}
QUESTIONS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("name", "The registrant's exact name", {}),
    ("basis_of_accounting", "Basis of the financial statements", ACCOUNTING),
    ("securities", "ADSs or ordinary shares listed in the United States", {"ads": "ads", "ordinary": "ordinary"}),
    ("china_based", "A China-based issuer (operations or incorporation in CN, HK or MO)", YES_NO),
    ("emerging_growth_company", "An emerging growth company", YES_NO),
    ("filer_status", "Filer status under Rule 12b-2", FILER_STATUS),
)
"""The questions `ask` puts, after the fiscal year end: the field, the question, and the words it takes
(none: any text)."""


def ask(given: dict[str, Any], read: Callable[[str], str | None]) -> Profile:
    """The profile, asking on a terminal each question the command line left open: `read(prompt)` gives the
    answer typed (None at the end of input). An empty answer leaves a question unanswered; a word the question
    does not take is asked again. The fiscal year end must be answered."""
    answers = dict(given)
    while answers.get("fiscal_year_end") is None:
        typed = read("Last day of the fiscal year the report covers (YYYY-MM-DD): ")
        if typed is None:
            raise UsageError("precomment init needs the fiscal year end; none was given")
        answers["fiscal_year_end"] = _date(typed.strip())
    for name, asked, words in QUESTIONS:
        while answers.get(name) is None:
            prompt = f"{asked}{' [' + '/'.join(words) + ']' if words else ''} (Enter: leave it to answer later): "
            typed = (read(prompt) or "").strip()
            if not typed:
                break
            answers[name] = words.get(typed.lower()) if words else typed
    values: dict[str, Any] = {f.name: answers.get(f.name) for f in fields(Profile)}
    return Profile(**values)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
