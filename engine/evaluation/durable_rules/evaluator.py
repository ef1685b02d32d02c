"""Evaluation on durable-rules: run the compiled rules over one document's facts on durable-rules.

What durable-rules would otherwise get wrong (../shared/reference/durable-rules-notes.md), and how:
- Its Host starts timer threads that run actions concurrently with the caller and lose findings: the
  host here never starts them; actions run synchronously inside the assert calls of this thread.
- Absence is decided when a positive fact arrives: every rule has a trigger fact, asserted after all
  other facts, right after its first pattern (compile.py).
- A fact that matches no rule makes the host's assert_facts raise for the whole batch: facts are
  asserted straight to the C core, which drops such a fact and goes on (_assert_facts).
- A fact whose id hashes like a stored one's is silently dropped: the ids given to durable-rules are
  chosen so that none do (message_ids.py); rules read `_id`.
- Exceptions in actions are swallowed into the state: actions catch and record them, and the state is
  checked; either way the check fails with exit 3 naming the rule, never "no findings".
- State grows per document: each document has its own session id, deleted afterwards. Deleting a
  session in which no action ran frees uninitialised pointers (a crash in 2.0.28): a sentinel rule
  fires once per document first, and evaluation fails (exit 3) if it did not fire.
- Actions run in no useful order, and a rule can fire twice for one match: matches are a sorted set.
- It matches a pattern against a value's text in the JSON it is given (`\\"` for a quote), and against
  at most 65,535 bytes of it: each text a `matches` test reads is also given as regex.durable_text, in
  which JSON escapes nothing (under compile.text_key), and a longer one is refused (long_texts).
Rulesets are registered once per process (durable-rules cannot unregister them). Each ruleset's session
receives only the facts of its own types, in document order, BATCH at a time; a ruleset none of whose
rules could match (some positive pattern's type has no fact in the document) gets no session at all.

Together these make the stage nearly linear in the facts, where the sink rule, trigger-first rules, one
ruleset per group of rules sharing any type and one assert per session made it grow far faster than
the facts (BENCHMARKS.md, 'The durable-rules stage'). Most of what is still more than linear
is the kernel providing fresh memory: a session storing more than a few thousand facts outgrows what
glibc's malloc reuses, so it is mapped anew, page by page, for each document (BENCHMARKS.md, 'Rulesets by
fact type').
"""
from __future__ import annotations

import itertools
import json
import re
import types
from collections.abc import Callable, Iterable
from typing import Any

from ...errors import InternalError, SetupError
from ...language import regex
from ...language.rulebook import RuleSet
from ...validation.fact_model import KEY_SEPARATOR
from ..match import Match
from .compile import (
    SENTINEL_RULE,
    TRIGGER_TYPE,
    CompiledPartition,
    compile_rules,
    text_key,
)
from .message_ids import reserve, session_ids

_HOST = None
_NAMES = itertools.count(1)
_SESSIONS = itertools.count(1)
_ASSERTED, _NOT_HANDLED = 0, 1  # outcomes of durable_rules_engine.assert_facts (rulespy.c, pyAssertFacts)
reserve(TRIGGER_TYPE)  # the trigger's id shares every session with the facts' ids

BATCH = 256
"""Facts per assert call. A session's facts are copied (with their id and session id), written as
JSON and parsed by durable-rules a batch at a time, so that each batch is still in the processor's
caches for the next step: the whole session in one call was measurably slower, most at the largest
sizes, and a few hundred facts per call were best (BENCHMARKS.md, 'Batches')."""


_EXPONENT_WITHOUT_FRACTION = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])(-?\d+)([eE][-+]?\d+)')


_EXPONENT_MARKS = (re.compile(r"e(?<=[0-9]e)[-+]?[0-9]"), re.compile(r"E(?<=[0-9]E)[-+]?[0-9]"))
"""One of these is in every number the rewrite below changes (outside strings, JSON has only ASCII
digits). When neither is in the text, nearly always, it is returned as it is, without the rewrite's
visit to every string, which took most of the evaluation's time. Each starts with a literal, which the
regex engine finds fast, where one pattern for both is slower (BENCHMARKS.md, 'JSON exponents')."""


def _durable_json(value: Any, **options: Any) -> str:
    """JSON as durable-rules reads it: its reader (src/rules/json.c, getNumber) takes an exponent only after
    a fraction, so Python's `1e-05` is a parse error, and in a batch every fact from that one on is
    silently dropped. Such numbers are written `1.0e-05`; strings are left as they are."""
    text = json.dumps(value, **options)
    if not any(mark.search(text) for mark in _EXPONENT_MARKS):
        return text
    return _EXPONENT_WITHOUT_FRACTION.sub(
        lambda m: m.group(0) if m.group(1) is None else f"{m.group(1)}.0{m.group(2)}", text)


def _host() -> Any:
    """The process's durable-rules host, without its background threads."""
    global _HOST
    if _HOST is None:
        try:
            import durable.engine
            from durable.engine import Host
        except ImportError as error:
            raise _setup_error(error) from None

        durable.engine.json = types.SimpleNamespace(dumps=_durable_json, loads=json.loads)

        class _CallerDrivenHost(Host):
            def _run(self) -> None:  # no timer threads: the caller drives every action
                pass

        _HOST = _CallerDrivenHost()
    return _HOST


def _setup_error(error: ImportError) -> SetupError:
    """durable-rules is missing or cannot load: say how to mend it. Its one known cause on Python 3.13 is a
    build without the flag the README gives (its C wrapper calls PyEval_CallObject, which 3.13 removed)."""
    if "PyEval_CallObject" in str(error):
        return SetupError(
            "durable-rules, the rule engine, was built for this Python without the flag it needs from Python 3.13 on "
            f"({error})\n  hint: rebuild it: CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject pip install "
            "--no-cache-dir --force-reinstall --no-deps durable-rules==2.0.28")
    return SetupError(f"durable-rules, the rule engine, cannot be loaded ({error})\n  hint: install precomment "
                      "with its dependencies (pip install precomment, or make demo from a clone; README)")


_REGISTERED: dict[str, str] = {}
"""A compiled partition (its definitions, and the aliases its actions report) -> the name of the ruleset
registered for it in this process. durable-rules never frees a registered ruleset, and each costs about a
third of a megabyte: registering the bundled rules again for every new evaluator grew a process by 24 MB per
checker, to 11 GB over the test suite (and without bound in a service building a checker per request).
So each distinct partition is registered once per process, before any session of the evaluator that
first needs it, and every evaluator holding it runs its sessions there; worker processes forked after
registration inherit both the rulesets and this table."""

_ONE_DOCUMENT = False
"""Set by `one_document_process`: this process evaluates one document and then ends."""

_SESSIONS_BEGUN = False
"""Whether any session has run in this process: from then on registering a partition not registered yet
may crash durable-rules (architecture.md, 'Registration')."""

_PARTIAL = False
"""Whether some evaluator of this process registered only what its one document can fire: from then on
no other document may be evaluated (it could need a rule left out)."""


def one_document_process() -> None:
    """Say that this process evaluates exactly one document and then ends (the command line checking one
    filing). Its first evaluation then registers only the partitions that document can fire, each without
    the rules that cannot match it (for the IIJ filing 94 rules in 24 of the 79 rulesets of the bundled
    rules; BENCHMARKS.md, 'Start-up'), instead of every rule. Registration is safe only before the first
    session, and this process has no second document, so nothing ever has to be registered after one; a
    second evaluation, which could need a rule left out, is refused as an internal error (`evaluate`)
    rather than risk the crash or miss a finding."""
    global _ONE_DOCUMENT
    _ONE_DOCUMENT = True


_EVALUATING: DurableEvaluator | None = None
"""The evaluator whose document is being evaluated, to which the shared rulesets' actions record; set and
cleared around each evaluation (durable-rules runs actions synchronously, inside the assert calls)."""


def _registered(partition: CompiledPartition) -> str:
    """The name of the ruleset registered for `partition`, registering it on first sight."""
    key = partition.registry_key
    name = _REGISTERED.get(key)
    if name is not None:
        return name
    definitions = partition.definitions()  # fresh: given its actions, then consumed by durable-rules
    name = f"precomment_{next(_NAMES)}"
    for rule in partition.rules:
        definitions[rule.rule_id]["run"] = _action(rule.rule_id, rule.aliases)
    definitions[SENTINEL_RULE]["run"] = _sentinel
    host = _host()  # a durable-rules that cannot load is a setup error, raised as it is
    try:
        host.set_rulesets({name: definitions})
    except Exception as error:
        raise InternalError(f"durable-rules refused the compiled rules: {error}") from error
    _REGISTERED[key] = name
    return name


def _action(rule_id: str, aliases: dict[str, str]) -> Callable[[Any], None]:
    """The action of one rule of a registered ruleset: record the match for the evaluator evaluating."""
    def action(closure: Any) -> None:
        evaluator = _EVALUATING
        if evaluator is None:  # only asserted facts fire a rule, and facts are asserted only while evaluating
            return
        try:
            message = closure._m
            bindings = tuple(sorted((aliases[name], fact["_id"]) for name, fact in message.items() if name in aliases))
            evaluator._found.append(Match(rule_id, bindings))
        except Exception as error:  # recorded, then raised as an internal error after the document
            evaluator._errors.append((rule_id, repr(error)))
    return action


def _sentinel(closure: Any) -> None:
    if _EVALUATING is not None:
        _EVALUATING._sentinels.append(closure.s.sid)


class DurableEvaluator:
    """Evaluates one RuleSet on durable-rules; create once, call `evaluate` per document."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.partitions = compile_rules(ruleset)
        self._holding = {rule.rule_id: index for index, partition in enumerate(self.partitions) for rule in partition.rules}
        self.texts = _texts(self.partitions)
        self._names: dict[int, str] = {}  # partition index -> its ruleset's name, once registered (_register)
        self._found: list[Match] = []
        self._errors: list[tuple[str, str]] = []
        self._sentinels: list[str] = []

    def _register(self, indices: Iterable[int] | None = None,
                  partitions: list[CompiledPartition] | None = None) -> None:
        """The rulesets of the partitions at `indices` (every partition by default), registered or found
        registered, before this evaluator's first session; `partitions` (one document's: `evaluate`) may
        stand for some with fewer rules, and then this process holds only part of the rules (`_PARTIAL`)."""
        global _PARTIAL
        wanted = range(len(self.partitions)) if indices is None else indices
        chosen = partitions if partitions is not None else list(self.partitions)
        for i in wanted:
            if i not in self._names:
                self._names[i] = _registered(chosen[i])
        _PARTIAL = _PARTIAL or partitions is not None

    def long_texts(self, facts: list[dict[str, Any]]) -> list[tuple[str, int]]:
        """(JSON pointer, UTF-8 bytes) of each text a `matches` test reads that is longer than durable-rules
        can match (regex.MAX_TEXT_BYTES): such a document cannot be evaluated, and says where."""
        return [(f"{fact['_id']}/{key.replace(KEY_SEPARATOR, '/')}", size)
                for fact in facts for key in self.texts.get(fact["_type"], ())
                for size in [_utf8_size(fact.get(key))] if size > regex.MAX_TEXT_BYTES]

    def _with_texts(self, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The facts, each with the texts its `matches` tests read as durable-rules must be given them."""
        texts = self.texts
        return [_with_texts(fact, texts[fact["_type"]]) if fact["_type"] in texts else fact for fact in facts]

    def evaluate(self, facts: list[dict[str, Any]], only: str | None = None) -> list[Match]:
        """Every rule's matches; with `only` (a rule id), that rule's, from the one ruleset holding it
        (whose other rules' matches are dropped): a rule's examples then cost one session each."""
        global _EVALUATING, _SESSIONS_BEGUN
        present = {fact["_type"] for fact in facts}
        chosen = [self._holding[only]] if only is not None else range(len(self.partitions))
        firing = [i for i in chosen if self.partitions[i].can_fire(present)]
        partitions = list(self.partitions)
        if _PARTIAL and _SESSIONS_BEGUN:
            raise InternalError("durable-rules holds only the rules one document could fire, and this process "
                                "was set to check one filing only (one_document_process)")
        if _ONE_DOCUMENT and only is None and not _SESSIONS_BEGUN:
            for i in firing:
                partitions[i] = self.partitions[i].only_firing(present)
            self._register(firing, partitions)
        else:
            self._register()
        facts = self._with_texts(facts)
        host = _host()
        self._found = []
        self._errors = []
        runs = [(self._names[i], partitions[i]) for i in firing]
        _SESSIONS_BEGUN = _SESSIONS_BEGUN or bool(runs)
        _EVALUATING = self  # the shared rulesets' actions record to it (_action)
        try:
            for (name, _), selected in zip(runs, _select(facts, [p for _, p in runs])):
                self._run_partition(host, name, selected)
        finally:
            _EVALUATING = None
        if self._errors:
            rule_id, error = self._errors[0]
            raise InternalError(f"the rule's action failed during evaluation: {error}", rule_id)
        found = set(self._found) if only is None else {m for m in self._found if m.rule_id == only}
        return sorted(found)  # a set: a rule can fire twice for one match (compile._join_order)

    def _run_partition(self, host: Any, name: str, facts: list[dict[str, Any]]) -> None:
        sid = str(next(_SESSIONS))
        ids = session_ids(len(facts))
        self._sentinels = []
        try:
            for start in range(0, len(facts), BATCH):
                batch = zip(facts[start:start + BATCH], ids[start:start + BATCH])
                _assert_facts(host, name, [dict(fact, id=ident, sid=sid) for fact, ident in batch])
            host.assert_fact(name, {"id": TRIGGER_TYPE, "_type": TRIGGER_TYPE, "sid": sid})
            state = host.get_state(name, sid)
        except Exception as error:
            raise InternalError(f"durable-rules failed while evaluating: {error}") from error
        if self._sentinels != [sid]:
            # Do not delete this session: without a completed action its deletion crashes the process.
            raise InternalError("durable-rules did not evaluate the document (its sentinel rule did not fire)")
        host.delete_state(name, sid)
        if "exception" in state:
            raise InternalError(f"durable-rules reported an action error: {state['exception']}")
        _ensure_drained(host, name)


def _texts(partitions: tuple[CompiledPartition, ...]) -> dict[str, tuple[str, ...]]:
    """Fact type -> the keys whose text some `matches` test reads, in a fixed order."""
    texts: dict[str, set[str]] = {}
    for partition in partitions:
        for rule in partition.rules:
            for fact_type, key in rule.texts:
                texts.setdefault(fact_type, set()).add(key)
    return {fact_type: tuple(sorted(keys)) for fact_type, keys in texts.items()}


def _with_texts(fact: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A copy of the fact with regex.durable_text of each of its string values at `keys` under
    compile.text_key (a value that is not text has none: `matches` never holds for it). A text longer
    than durable-rules can match is an internal error here: the pipeline refuses it first (long_texts)."""
    copy = dict(fact)
    for key in keys:
        value = fact.get(key)
        if isinstance(value, str):
            if _utf8_size(value) > regex.MAX_TEXT_BYTES:
                raise InternalError("a text longer than durable-rules can match reached the evaluator")
            copy[text_key(key)] = regex.durable_text(value)
    return copy


def _utf8_size(value: Any) -> int:
    """Bytes of a text in UTF-8 (0 for anything else); only a text of more than a quarter of the limit in
    characters can exceed it, so shorter ones are not encoded."""
    if not isinstance(value, str) or len(value) <= regex.MAX_TEXT_BYTES // 4:
        return 0
    return len(regex.durable_text(value).encode("utf-8"))


def _assert_facts(host: Any, name: str, batch: list[dict[str, Any]]) -> None:
    """Assert facts in one call, straight to the C core. The host's assert_facts raises when a fact
    reaches no rule (its pattern tests pass for no pattern), and builds that error's message by writing
    the whole batch as JSON once more; the core has by then dropped that fact, which can bind no pattern
    and witness no absence, and gone on with the rest of the batch (events.c, handleMessages). So that
    outcome is fine here, and no sink rule has to store every fact to prevent it. The only other outcome
    the core reports, a fact refused as already stored, cannot happen: no two ids hash alike
    (message_ids.py). No action can be pending after the call: every rule waits for the trigger."""
    import durable_rules_engine

    handle = host.get_ruleset(name)._handle
    outcome, _ = durable_rules_engine.assert_facts(handle, _durable_json(batch, ensure_ascii=False))
    if outcome not in (_ASSERTED, _NOT_HANDLED):
        raise RuntimeError(f"a fact was refused (outcome {outcome} of assert_facts)")


def _select(facts: list[dict[str, Any]], partitions: list[CompiledPartition]) -> list[list[dict[str, Any]]]:
    """For each partition, the facts of its types in document order: one pass over the facts, however
    many partitions there are."""
    selected: list[list[dict[str, Any]]] = [[] for _ in partitions]
    routes: dict[str, list[list[dict[str, Any]]]] = {}
    for partition, into in zip(partitions, selected):
        for fact_type in partition.fact_types:
            routes.setdefault(fact_type, []).append(into)
    for fact in facts:
        for into in routes.get(fact["_type"], ()):
            into.append(fact)
    return selected


def _ensure_drained(host: Any, name: str) -> None:
    """No action may be left pending: a pending action is a finding that was never reported."""
    import durable_rules_engine

    ruleset = host.get_ruleset(name)
    if durable_rules_engine.start_action(ruleset._handle):
        raise InternalError("durable-rules left actions pending after evaluation; findings would be lost")
