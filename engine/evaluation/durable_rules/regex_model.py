"""A model of durable-rules 2.0.28's regex compiler (src/rules/regex.c): what it builds from a pattern,
and where it would fail, corrupt memory or run too long.

durable-rules compiles a `$mt` pattern when a ruleset registers, into a table-driven automaton built by
its own steps: a Thompson-like graph (createGraph), epsilon removal and merging of same-symbol
transitions (transformToDFA), merging of `.` with specific symbols (expandDot), the same again, then a
packed table (packGraph). The code has fixed-size tables it does not always check: a state holds at
most 4,096 transitions and a token 4,096 symbols, written past their end without a check (heap and
stack corruption); its queues hold 1,023 states (error 504), its state ids stop at 4,096 (error 503);
it frees states by a reference count that its own merging gets wrong, and goes on using them (with
AddressSanitizer: heap-use-after-free in unlinkStates; without, glibc's "malloc(): unsorted double
linked list corrupted" abort on `[a](%g{0}[^a](%])){3}é`, and `.*a.*b.*` reading freed memory); its
cancelling of transitions skips every other one (unlinkStates after a deletion), so `.*[Ss]upplier.*`
does not match "Suppliers"; it identifies merged states by a 16-bit hash (two merges that hash alike
become one state); and its merging costs the square of a state's transitions per state, which made
`((.?){100}){4}` take minutes (BENCHMARKS.md, 'Regex compiler').

This module repeats those steps in Python, in the same order and with the same data, so that:
- every limit is checked where the C code would overflow or fail, and a state freed while still
  reachable is caught, raising `Unsafe`: such a pattern is refused when rules load, never registered;
- the work is counted, step for step, and a pattern whose compilation would cost more than `BUDGET`
  steps is refused too (the C code takes about a hundredth of the Python time per step);
- what it builds is the automaton durable-rules will run (`Automaton.step`, a port of evaluateRegex),
  which regex.py compares with the pattern's meaning before accepting it.

Only what regex.py emits is modelled: literal symbols, `.`, sets (`[...]`, `[^...]`) with literal
`%` escapes, groups, `|`, `*`, `+`, `?` and intervals. Class escapes (`%d`) are never emitted (regex.py
writes classes out as sets), so meeting one is an error of the caller.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_TRANSITIONS = 4096  # regex.c: transitions per state, symbols per token; never checked
MAX_QUEUE = 1024  # regex.c: the ring buffer of every breadth-first walk; full at 1,023 (error 504)
MAX_STATES = 4096  # regex.c: state ids (error 503)
MAX_HSET = 8192  # regex.c: merged states per pass
MAX_LIST = 1024  # regex.c: states merged into one (error 505)
MAX_INTERVAL = 100  # regex.c: the largest m of {n,m}
DOT = 0xFFFE  # regex.c REGEX_DOT: the symbol of `.`, and of "any other symbol" when matching
EMPTY = 0  # regex.c: the symbol of an epsilon transition
_TOKEN_BYTES = 32_780  # sizeof(token): a `token` lives on the C stack in each nested call
_UNREADABLE = "it cannot read the pattern (error 501)"
MAX_NESTING = 32
"""Nested calls of validateGraph (one per `(`, `*` and `?` before the pattern or group ends) and of
createGraph (one per open group), each holding a 32 KB token on the C stack: 32 is 1 MiB."""

BUDGET = 1_000_000
"""Steps (a transition visited, linked or compared) the model may spend on one pattern. The bundled rules'
patterns take under 2,000, everyday ones with classes up to about 400,000 (`%a+( %a+)*( Inc%.| Ltd%.|
plc)?`); ((.?){100}){4}, which durable-rules took minutes to compile, would take billions. The budget
bounds the time of the model's check of a pattern, and of durable-rules' own compilation (the same steps
in C), to a fraction of a second (BENCHMARKS.md, 'Regex compiler')."""


class Unsafe(Exception):
    """durable-rules would fail to compile the pattern, corrupt memory doing so, or take too long."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- the compiler's data ------------------------------------------------------------------------------


@dataclass(eq=False)
class _State:
    """regex.c `state`: identity is the object (the C pointer); `id` orders states in merged lists."""

    id: int
    hash: int = 0
    refs: int = 0  # unsigned short refCount
    accept: bool = False
    reject: bool = False
    freed: bool = False
    transitions: list[list[Any]] = field(default_factory=list)  # [deterministic, symbol, next]


@dataclass
class _Token:
    kind: str  # symbol | union | star | plus | question | regex | interval
    symbols: list[int] = field(default_factory=list)
    inverse: list[int] = field(default_factory=list)
    low: int = 0
    high: int = 0


class _Compiler:
    """One compileRegex call: the pattern's bytes, the state id counter and the step count."""

    def __init__(self, pattern: str, budget: int) -> None:
        # The C code reads the pattern inside the ruleset's JSON text: `last` is its closing quote.
        self.text = pattern.encode("utf-8") + b'"\0'
        self.last = len(self.text) - 2
        self.ids = 0
        self.steps = 0
        self.budget = budget

    # -- bookkeeping ----------------------------------------------------------------------------------
    def spend(self, steps: int = 1) -> None:
        self.steps += steps
        if self.steps > self.budget:
            raise Unsafe(f"compiling it would take too long (more than {self.budget:,} steps of its compiler)")

    def create(self) -> _State:
        if self.ids == MAX_STATES:
            raise Unsafe(f"it would need more than {MAX_STATES} states (error 503)")
        state = _State(self.ids)
        self.ids += 1
        return state

    @staticmethod
    def touch(state: _State) -> _State:
        """Every read of a state goes through here: a freed state's memory may already hold another."""
        if state.freed:
            raise Unsafe("compiling it would use memory it has already freed")
        return state

    def link(self, source: _State, target: _State, symbol: int, deterministic: int = 0) -> None:
        """linkStates: append unless the same symbol already leads to the same state id."""
        self.touch(source)
        self.touch(target)
        self.spend(len(source.transitions) + 1)
        for _, known, following in source.transitions:
            if known == symbol and self.touch(following).id == target.id:
                return
        if len(source.transitions) >= MAX_TRANSITIONS:
            raise Unsafe(f"a state would get more than {MAX_TRANSITIONS} transitions, written past the end of their "
                         "table (heap corruption)")
        source.transitions.append([deterministic, symbol, target])
        target.refs = (target.refs + 1) & 0xFFFF

    def delete(self, source: _State, index: int) -> None:
        """deleteTransition: drop the reference, freeing the target when its count reaches zero."""
        target = self.touch(source.transitions[index][2])
        target.refs = (target.refs - 1) & 0xFFFF
        if not target.refs:
            target.freed = True
        del source.transitions[index]

    def unlink(self, source: _State, target: _State, symbol: int) -> None:
        """unlinkStates, with its skip: after a deletion the loop goes on past the next transition."""
        target_id = self.touch(target).id
        i = 0
        while i < len(source.transitions):
            self.spend()
            _, known, following = source.transitions[i]
            if known == symbol and self.touch(following).id == target_id:
                self.delete(source, i)
            i += 1

    # -- reading the pattern (readNextToken and its helpers) ------------------------------------------
    def byte(self, at: int) -> int:
        return self.text[at]

    def code_point(self, at: int) -> tuple[int, int]:
        """utf8ToUnicode: the symbol at `at` and where the next begins; error 501 past the end."""
        lead = self.text[at]
        trailing = 0 if lead < 0xC0 else 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
        if at + trailing >= self.last:
            raise Unsafe(_UNREADABLE)
        return ord(self.text[at:at + trailing + 1].decode("utf-8")), at + trailing + 1

    def escaped(self, at: int, into: list[int]) -> int:
        """readEscapedSymbol after its `%`: a literal metacharacter (class escapes are never emitted)."""
        at += 1
        if at >= self.last or chr(self.byte(at)) not in ".|?*+()[]{}%":
            raise ValueError(f"the model reads only literal % escapes, not {self.text[at - 1:at + 1]!r}")
        into.append(self.byte(at))
        return at + 1

    def read_range(self, at: int, token: _Token) -> int:
        """readRange from its `[`: plain symbols, `a-z` ranges, literal escapes; `[^` fills `inverse`."""
        at += 1
        into = token.symbols
        if self.byte(at) == ord("^"):
            if at == self.last:
                raise Unsafe(_UNREADABLE)
            into = token.inverse
            at += 1
        if self.byte(at) == ord("]"):
            if at == self.last:
                raise Unsafe(_UNREADABLE)
            into.append(ord("]"))
        starting, previous = True, 0
        while self.byte(at) != ord("]"):
            if at == self.last:
                raise Unsafe(_UNREADABLE)
            if not starting:
                if not previous:
                    raise Unsafe(_UNREADABLE)
                current, at = self.code_point(at)
                while current != previous:
                    into.append(current)
                    current += -1 if current > previous else 1
                starting = True
            elif self.byte(at) == ord("-"):
                starting = False
                at += 1
            elif self.byte(at) != ord("%"):
                previous, at = self.code_point(at)
                into.append(previous)
            else:
                at = self.escaped(at, into)
                previous = 0
            if len(into) > MAX_TRANSITIONS:
                raise Unsafe(f"a set of more than {MAX_TRANSITIONS} characters would overflow its token "
                             "(stack corruption)")
        if not starting:
            into.append(ord("-"))
        return at + 1

    def read_interval(self, at: int, token: _Token) -> int:
        """readInterval from its `{`: `{n}`, `{n,}`, `{n,m}`; its own digit checks and atoi."""
        at += 1
        starting, begin = True, at
        while self.byte(at) != ord("}"):
            if at == self.last:
                raise Unsafe(_UNREADABLE)
            char = self.byte(at)
            if starting and char == ord(",") and begin != at:
                starting = False
                token.low = _atoi(self.text[begin:at])
                begin = at + 1
            elif char > ord("9"):  # its `< 0`: a byte from 0x80 on, a negative char, is above '9' here
                raise Unsafe(_UNREADABLE)
            at += 1
        if begin == at:
            token.high = 0
        else:
            token.high = _atoi(self.text[begin:at])
            if starting:
                token.low = token.high
        if (token.high and token.low > token.high) or token.high > MAX_INTERVAL:
            raise Unsafe(_UNREADABLE)
        return at + 1

    def next_token(self, at: int) -> tuple[_Token | None, int, bool]:
        """readNextToken: the token at `at`, where the next begins, and whether it ends a group."""
        if at >= self.last:
            return None, at, True
        char = chr(self.byte(at))
        kinds = {"|": "union", "?": "question", "*": "star", "+": "plus", "(": "regex", ")": "regex"}
        if char in kinds:
            return _Token(kinds[char]), at + 1, char == ")"
        token = _Token("symbol")
        if char == "[":
            return token, self.read_range(at, token), False
        if char == "{":
            token.kind = "interval"
            return token, self.read_interval(at, token), False
        if char == "%":
            return token, self.escaped(at, token.symbols), False
        if char == ".":
            token.symbols.append(DOT)
            return token, at + 1, False
        symbol, at = self.code_point(at)
        token.symbols.append(symbol)
        return token, at, False

    # -- validateGraph --------------------------------------------------------------------------------
    def validate(self, at: int, depth: int) -> int:
        """validateGraph: `**` and `?*` are error 508; it recurses after every `(`, `*` and `?`."""
        if depth > MAX_NESTING:
            raise Unsafe(f"it nests more than {MAX_NESTING} groups and repeats (*, ?), each taking "
                         f"{_TOKEN_BYTES // 1024} KB of its stack")
        while True:
            token, at, end = self.next_token(at)
            self.spend()
            if end:
                return at
            assert token is not None  # next_token gives None only with `end`
            if token.kind in ("star", "question"):
                following, _, ended = self.next_token(at)
                if not ended and following is not None and following.kind == "star":
                    raise Unsafe("it refuses a `*` after `*` or `?` (error 508)")
            if token.kind in ("star", "question", "regex"):
                at = self.validate(at, depth + 1)

    # -- createGraph ----------------------------------------------------------------------------------
    def graph(self, at: int, depth: int) -> tuple[_State, _State, int]:
        """createGraph: the pattern (or the group opened before `at`) as a graph; where reading stopped."""
        if depth > MAX_NESTING:
            raise Unsafe(f"it nests more than {MAX_NESTING} groups")
        start, end = self.create(), self.create()
        previous = current = start
        token, at, ended = self.next_token(at)
        while not ended:
            assert token is not None  # next_token gives None only with `ended`
            previous, current, at = self.apply(token, start, end, previous, current, at, depth)
            token, at, ended = self.next_token(at)
        self.link(current, end, EMPTY)
        return start, end, at

    def apply(self, token: _Token, start: _State, end: _State, previous: _State, current: _State, at: int,
              depth: int) -> tuple[_State, _State, int]:
        """One token of createGraph's loop: the new (previousState, currentState) and reading position."""
        if token.kind == "symbol":
            previous = current
            if token.symbols:
                current = self.create()
                for symbol in token.symbols:
                    self.link(previous, current, symbol)
            if token.inverse:
                current = self.create()
                current.reject = True
                for symbol in token.inverse:
                    self.link(previous, current, symbol, 1)
                current = self.create()
                self.link(previous, current, DOT)
        elif token.kind == "union":
            self.link(current, end, EMPTY)
            current = self.create()
            previous = start
            self.link(previous, current, EMPTY)
        elif token.kind in ("star", "plus", "question"):
            anchor = self.create()
            if token.kind != "question":
                self.link(current, previous, EMPTY)
            self.link(current, anchor, EMPTY)
            if token.kind != "plus":
                self.link(previous, anchor, EMPTY)
            previous, current = current, anchor
        elif token.kind == "regex":
            sub_start, sub_end, at = self.graph(at, depth + 1)
            self.link(current, sub_start, EMPTY)
            previous, current = current, sub_end
        else:
            previous, current = self.interval(token, previous, current)
        return previous, current, at

    def interval(self, token: _Token, previous: _State, current: _State) -> tuple[_State, _State]:
        """createGraph's REGEX_INTERVAL: copies of the last atom, chained, with exits to an anchor."""
        new_current = new_previous = None
        sub_start, sub_end = previous, current
        anchor = self.create()
        for i in range(1, token.high or token.low):
            sub_start, sub_end = self.clone(previous, current)
            if new_current is not None:
                self.link(new_current, sub_start, EMPTY)
            else:
                new_previous = sub_start
            if i >= token.low:
                self.link(sub_start, anchor, EMPTY)
            new_current = sub_end
        if not token.high:
            self.link(sub_end, sub_start, EMPTY)
        if not token.low:
            self.link(previous, anchor, EMPTY)
        if new_previous is None:
            self.link(current, anchor, EMPTY)
            previous = current
        else:
            assert new_current is not None  # set in the same iteration as new_previous
            self.link(current, new_previous, EMPTY)
            self.link(new_current, anchor, EMPTY)
            previous = new_current
        return previous, anchor

    def clone(self, start: _State, end: _State) -> tuple[_State, _State]:
        """cloneGraph: a copy of everything reachable from `start`, breadth first."""
        copies = {start.id: self.create()}
        for state in self.walk(start):
            copies[state.id].accept |= state.accept
            copies[state.id].reject |= state.reject
            for _, symbol, following in list(state.transitions):
                if following.id not in copies:
                    copies[following.id] = self.create()
                self.link(copies[state.id], copies[following.id], symbol)
        return copies[start.id], copies[end.id]

    def walk(self, start: _State, visit: Callable[[_State], None] | None = None) -> Iterator[_State]:
        """The breadth-first walk of regex.c's loops: each state once, from `start`, through a ring buffer
        of MAX_QUEUE entries. `visit(state)` runs on a state before its transitions are followed (it may
        change them), as transformToDFA and expandDot do; the walk yields each state when it is taken."""
        seen = {start.id}
        queue = [start]  # the ring buffer's states, then the one being worked on when it is taken out
        while queue:
            state = self.touch(queue.pop(0))
            if visit is not None:
                visit(state)
            yield state
            for _, _, following in list(state.transitions):
                self.spend()
                if self.touch(following).id not in seen:
                    seen.add(following.id)
                    queue.append(following)
                    if len(queue) >= MAX_QUEUE - 1:  # error 504 at 1,023 (or, wrapped at 1,024, an empty queue)
                        raise Unsafe(f"its queue of {MAX_QUEUE - 1} states would overflow (error 504)")

    # -- transformToDFA -------------------------------------------------------------------------------
    def consolidate_states(self, state: _State) -> None:
        """consolidateStates: follow every epsilon transition, taking over the target's transitions and
        its accept/reject marks, with regex.c's reference counting."""
        i = 0
        while i < len(state.transitions):
            self.spend()
            _, symbol, following = state.transitions[i]
            if symbol == EMPTY:
                self.touch(following)
                if following is not state:
                    for deterministic, known, target in list(following.transitions):
                        self.link(state, target, known, deterministic)
                        if following.refs == 1:
                            self.touch(target).refs = (target.refs - 1) & 0xFFFF
                state.accept |= following.accept
                state.reject |= following.reject
                if state.accept and state.reject:
                    raise Unsafe("a state would both accept and reject (error 507)")
                self.delete(state, i)
                i -= 1
            i += 1

    def ensure(self, members: list[_State]) -> _State:
        """ensureState: a new state with all transitions and marks of `members`; if one of them accepts and
        has a `.` transition, every specific transition of the new state is dropped (regex.c's "first match
        succeeds"), with unlinkStates' skip."""
        state = self.create()
        cancel = False
        for member in members:
            self.touch(member)
            for deterministic, symbol, target in list(member.transitions):
                self.link(state, target, symbol, deterministic)
                cancel |= symbol == DOT and member.accept
            state.accept |= member.accept
            state.reject |= member.reject
            if state.accept and state.reject:
                raise Unsafe("a state would both accept and reject (error 507)")
        if cancel:
            i = 0
            while i < len(state.transitions):
                _, symbol, target = state.transitions[i]
                if symbol != DOT:
                    self.unlink(state, target, symbol)
                i += 1
        return state

    def merged(self, members: list[_State], table: _Merged) -> _State:
        """The state standing for `members` (sorted by id, as regex.c's ADD keeps them): found by its
        16-bit hash alone (HGET), else made and stored (HSET). A different set with the same hash is
        taken for it, as in regex.c: regex.py's equivalence check sees the consequences."""
        if len(members) >= MAX_LIST - 1:
            raise Unsafe(f"it would merge more than {MAX_LIST - 2} states into one (error 505)")
        digest = _hash(members)
        state = table.get(self, digest)
        if state is None:
            state = self.ensure(members)
            state.hash = digest
            table.put(state)
        return state

    def consolidate_transitions(self, state: _State, table: _Merged) -> None:
        """consolidateTransitions: the transitions sharing a symbol become one, to a merged state."""
        old: list[tuple[int, _State]] = []
        new: list[tuple[int, _State]] = []
        seen: set[int] = set()
        transitions = state.transitions
        for i, (_, symbol, target) in enumerate(transitions):
            self.spend(len(transitions) - i)
            if symbol in seen and symbol != EMPTY:
                continue
            seen.add(symbol)
            members: list[_State] = []
            for _, other, other_target in transitions[i + 1:]:
                if other == symbol:
                    if not members:
                        members.append(target)
                        old.append((symbol, target))
                    members.append(other_target)
                    old.append((other, other_target))
            if members:
                new.append((symbol, self.merged(sorted(members, key=lambda s: s.id), table)))
        self.replace(state, old, new, 0)

    def replace(self, state: _State, old: list[tuple[int, _State]], new: list[tuple[int, _State]],
                deterministic: int) -> None:
        """The end of both consolidations: unlink the old transitions, link the new ones; each list lives
        in a C array of MAX_TRANSITIONS entries on the stack."""
        if len(old) > MAX_TRANSITIONS or len(new) > MAX_TRANSITIONS:
            raise Unsafe(f"it would replace more than {MAX_TRANSITIONS} transitions of one state at once, past the "
                         "end of an array on its stack (stack corruption)")
        for symbol, target in old:
            self.unlink(state, target, symbol)
        for symbol, target in new:
            self.link(state, target, symbol, deterministic)

    def to_dfa(self, start: _State) -> None:
        """transformToDFA: epsilon removal and same-symbol merging at every state reached."""
        table = _Merged()

        def visit(state: _State) -> None:
            self.consolidate_states(state)
            self.consolidate_transitions(state, table)
        for _ in self.walk(start, visit):
            pass

    # -- expandDot ------------------------------------------------------------------------------------
    def consolidate_dot(self, state: _State, table: _Merged) -> None:
        """consolidateDot: a `.` transition and a non-deterministic specific one become, for that symbol,
        one transition to the merge of both targets."""
        old: list[tuple[int, _State]] = []
        new: list[tuple[int, _State]] = []
        transitions = state.transitions
        for i, (deterministic, symbol, target) in enumerate(transitions):
            self.spend(len(transitions) - i)
            for other_deterministic, other, other_target in transitions[i + 1:]:
                if ((symbol == DOT and other != DOT and not other_deterministic)
                        or (symbol != DOT and not deterministic and other == DOT)):
                    pair = sorted([target, other_target], key=lambda s: s.id)
                    merged = self.merged(pair, table)
                    old.append((other, other_target) if symbol == DOT else (symbol, target))
                    new.append((old[-1][0], merged))
        self.replace(state, old, new, 1)

    def expand_dot(self, start: _State) -> None:
        """expandDot: consolidateDot at every state reached."""
        table = _Merged()
        for _ in self.walk(start, lambda state: self.consolidate_dot(state, table)):
            pass

    # -- the whole compilation ------------------------------------------------------------------------
    def compile(self) -> Automaton:
        self.validate(0, 0)
        start, end, _ = self.graph(0, 0)
        end.accept = True
        start.refs += 1
        self.to_dfa(start)
        self.expand_dot(start)
        self.to_dfa(start)
        return self.pack(start)

    def pack(self, start: _State) -> Automaton:
        """calculateGraphDimensions and packGraph: states numbered from 1 in breadth-first order, and for
        each (symbol, state) the next state. An epsilon transition left over would be stored under symbol
        0, which the packed table cannot look up."""
        numbers: dict[int, int] = {}
        table: dict[tuple[int, int], int] = {}
        accepting: set[int] = set()
        order = list(self.walk(start))
        for state in order:
            numbers[state.id] = len(numbers) + 1
        for state in order:
            if state.accept:
                accepting.add(numbers[state.id])
            for _, symbol, target in state.transitions:
                if symbol == EMPTY:
                    raise Unsafe("an epsilon transition would be left in its table")
                table[(symbol, numbers[state.id])] = numbers[target.id]
        vocabulary = {symbol for symbol, _ in table}
        if not vocabulary:
            raise Unsafe("the pattern has no character to match (error 508)")
        return Automaton(table, frozenset(vocabulary), frozenset(accepting), len(order), self.steps)


class _Merged:
    """regex.c's HSET/HGET of merged states, one per pass: MAX_HSET slots, linear probing from the hash."""

    def __init__(self) -> None:
        self.slots: dict[int, _State] = {}

    def get(self, compiler: _Compiler, digest: int) -> _State | None:
        """HGET: the first state on the probe path whose hash is `digest`; every state on the way is read."""
        index = digest % MAX_HSET
        for _ in range(MAX_HSET):
            if index not in self.slots:
                return None
            compiler.spend()
            if compiler.touch(self.slots[index]).hash == digest:
                return self.slots[index]
            index = (index + 1) % MAX_HSET
        return None

    def put(self, state: _State) -> None:
        """HSET: the first free slot from the hash on; error 506 when there is none."""
        index = state.hash % MAX_HSET
        for _ in range(MAX_HSET):
            if index not in self.slots:
                self.slots[index] = state
                return
            index = (index + 1) % MAX_HSET
        raise Unsafe("its table of merged states would be full (error 506)")


def _atoi(digits: bytes) -> int:
    """C atoi on what readInterval passes it: leading digits, 0 if none."""
    value = 0
    for char in digits:
        if not 0x30 <= char <= 0x39:
            break
        value = value * 10 + char - 0x30
    return value


def _hash(members: list[_State]) -> int:
    """calculateHash: djb2 over the member ids, returned as an unsigned short."""
    digest = 5381
    for member in members:
        digest = (digest * 33 + member.id) & 0xFFFFFFFF
    return digest & 0xFFFF


@dataclass(frozen=True)
class Automaton:
    """The packed table durable-rules matches with: `table[(symbol, state)]` is the next state."""

    table: dict[tuple[int, int], int]
    vocabulary: frozenset[int]
    accepting: frozenset[int]
    states: int
    steps: int  # the model's steps to build it

    START = 1

    def step(self, state: int, symbol: int) -> int:
        """evaluateRegex for one symbol: its own transition, else the `.` one; 0 when neither exists
        (no match, whatever follows)."""
        if symbol in self.vocabulary:
            following = self.table.get((symbol, state))
            if following:
                return following
        return self.table.get((DOT, state), 0)

    def matches(self, text: str) -> bool:
        state = self.START
        for char in text:
            state = self.step(state, ord(char))
            if not state:
                return False
        return state in self.accepting


def compile_pattern(pattern: str, budget: int = BUDGET) -> Automaton:
    """What durable-rules builds from `pattern` (as written in its ruleset JSON, which must need no JSON
    escape); raises Unsafe where durable-rules would fail, corrupt memory, or exceed `budget` steps."""
    return _Compiler(pattern, budget).compile()
