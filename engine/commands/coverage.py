"""`precomment coverage`: what a check of each filing could and could not look at, without its findings: how
the description accounts for each Form item, and each rule's outcome (fired, passed, not applicable, NOT
ASSESSED with what it lacked). For a preparer asking "what is left to describe?"."""
from __future__ import annotations

import json
from functools import partial

from ..checking.coverage import Coverage
from ..checking.pipeline import Checker
from ..errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT
from ..extraction.inputs import read_filing
from ..reports.formats.common import heading
from ..reports.formats.matrix import coverage_block
from ..sources.inputs import expand
from .problems import print_problems
from .rulesets import RuleOptions, configuration, configured_rules


def run(files: list[str], options: RuleOptions, as_json: bool, stdin_name: str, answers: str | None = None) -> int:
    """Each filing's coverage on standard output; exit 1 when one leaves a Form item unaccounted (what fails
    `check`'s default gate), 2 when one cannot be read."""
    config = configuration(options)
    checker = Checker(configured_rules(options, config))
    paths, skipped = expand(files, [str(config.source)] if config.source else [])
    print_problems(skipped)
    status = EXIT_INPUT if skipped else EXIT_CLEAN
    records = []
    for path in paths:
        result = checker.check_path(path, partial(read_filing, stdin_name=stdin_name, answers=answers))
        if result.problems or result.coverage is None:
            print_problems(result.problems)
            status = EXIT_INPUT
            continue
        if result.coverage.unaccounted() and status == EXIT_CLEAN:
            status = EXIT_FINDINGS
        if as_json:
            record = {"source": result.source, "coverage": result.coverage.to_dict()}
            if result.origins is not None:
                record["values"] = result.origins
            records.append(record)
        else:
            print(heading(result) + "\n\n" + _origins(result.origins, result.coverage) + coverage_block(result.coverage, [])
                  + "\n")
    if as_json:
        print(json.dumps({"filings": records}, indent=2, ensure_ascii=False))
    return status


def _origins(origins: dict[str, int] | None, coverage: Coverage) -> str:
    """For a filing read from a document: where its values came from, and how many questions are still open
    (the fields the rules not assessed lack: answer them in the answers file)."""
    if origins is None:
        return ""
    open_fields = sorted({field for rule in coverage.rules if rule.outcome == "not-assessed" for field in rule.lacking})
    return (f"Values: {origins['read'] + origins['draft']} read from the document ({origins['read']} as printed, "
            f"{origins['draft']} drafts to confirm), {origins['answers']} from the answers file; "
            f"{len(open_fields)} fields the rules need still open (the NOT ASSESSED rules below name them).\n\n")
