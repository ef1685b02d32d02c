"""`precomment init`: write the questionnaire for a filer's profile (commands/questionnaire.py), a first
description to fill in, to standard output or to a new file. An existing file is never replaced unless
--force says so; then it is replaced atomically, as reports are."""
from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass

from ..errors import EXIT_CLEAN, UsageError
from ..language.reads import readers
from ..reports.writer import STDIN, plan_outputs, replace_files, write_into
from ..validation.fact_model import fact_model
from .profile import Profile
from .questionnaire import Questionnaire
from .rulesets import RuleOptions, configuration, configured_rules


@dataclass(frozen=True)
class InitOptions:
    profile: Profile
    output: str | None = None  # None or "-": standard output
    force: bool = False
    rules: RuleOptions = RuleOptions()


def run(options: InitOptions) -> int:
    """Write the questionnaire where `options.output` says: a usage error, before any work, when that is an
    existing file and --force is not given."""
    target = None
    if options.output not in (None, STDIN):
        target = plan_outputs([options.output], [])[0]
        if target.replace and os.path.lexists(options.output) and not options.force:
            raise UsageError(f"--output {options.output} already exists; precomment init never overwrites a file. "
                             "Give another file name, or --force to replace it")
    text = questionnaire(options)
    if target is None:
        sys.stdout.write(text)
        return EXIT_CLEAN
    if target.replace:
        replace_files([(target, [text])])
    else:
        write_into(target, [text])
    print(f"wrote {options.output}: fill it in, then run `precomment check {shlex.quote(options.output or '')}`",
          file=sys.stderr)
    return EXIT_CLEAN


def questionnaire(options: InitOptions) -> str:
    """The questionnaire's text for the profile and the rules in force."""
    ruleset = configured_rules(options.rules, configuration(options.rules))
    model = fact_model()
    command = shlex.join(["precomment", "init", *options.profile.flags()])
    return Questionnaire(options.profile, readers(ruleset.rules, ruleset.derivations, model), ruleset.rules,
                         model).text(command)
