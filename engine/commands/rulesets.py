"""The rules a command runs (`check`, `rules list`, `rules explain`): the configuration file found or given,
the rule directories it and the flags name, and the rule set loaded from them less disabled rules, with
severities overridden. Shared, so each command sees the very same rules."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem, UsageError
from ..language.records import RuleSet
from .config import Config, apply_config, find_config, load_config
from .problems import print_problems


@dataclass(frozen=True)
class RuleOptions:
    """The command-line flags that choose the rules: --rules DIR (repeated), --no-builtin-rules, --config FILE,
    --no-config and --no-cache."""

    rules: tuple[str, ...] = ()
    no_builtin_rules: bool = False
    config: str | None = None
    no_config: bool = False
    no_cache: bool = False


def configuration(options: RuleOptions) -> Config:
    """The configuration the flags ask for: none, the file given, or the nearest one found (a configuration
    file found but ignored is a warning, printed here)."""
    if options.no_config:
        if options.config:
            raise UsageError("--config and --no-config exclude each other")
        return Config()
    if options.config:
        if not Path(options.config).is_file():
            raise UsageError(f"--config {options.config}: no such file")
        return load_config(options.config)
    found, ignored = find_config(Path.cwd())
    print_problems(ignored)
    return load_config(found) if found else Config()


def rule_dirs(options: RuleOptions, config: Config) -> list[Path]:
    """The rule directories the flags and the configuration ask for: the built-in rules unless turned off,
    then the configured and the --rules directories. None at all is refused, saying which setting left none."""
    from ..resources import rules_dir

    builtin = config.builtin_rules and not options.no_builtin_rules
    extra = list(config.rules) + [Path(d) for d in options.rules]
    if not builtin and not extra:
        if options.no_builtin_rules:
            raise UsageError("--no-builtin-rules needs at least one --rules DIR")
        raise InputError([_config_problem(config, "/builtin_rules", "no-rules",
                                          "turns the built-in rules off and names no rules directory, so no rule "
                                          "would run", "add `rules: [DIR]` to the configuration, or give --rules DIR")])
    return ([rules_dir()] if builtin else []) + extra


def configured_rules(options: RuleOptions, config: Config) -> RuleSet:
    """The rule set of `rule_dirs`, less disabled rules, with severities overridden. A run with no rule at
    all is refused: it would report "0 findings, passed"."""
    from ..checking.rule_cache import load_checked_rules

    loaded = load_checked_rules(rule_dirs(options, config), use_cache=not options.no_cache)
    configured = apply_config(loaded, config)
    if not configured.rules:  # every directory holds a rule file (rulebook), so `disable` removed them all
        count = len(loaded.rules)
        raise InputError([_config_problem(config, "/disable", "no-rules-left",
                                          f"disables every rule loaded ({count} rule{'s' if count != 1 else ''}), "
                                          "so no rule would run",
                                          "take rule ids out of `disable`, or add rules with --rules DIR")])
    return configured


def _config_problem(config: Config, pointer: str, code: str, message: str, hint: str) -> Problem:
    """A problem located at a setting of the configuration file (which, here, always exists)."""
    assert config.document is not None
    return config.document.problem(pointer, code, message, hint, prefer_key=True)
