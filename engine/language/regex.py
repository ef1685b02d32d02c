"""The `matches` dialect: what a pattern means, what durable-rules is given for it, and the proof that
durable-rules matches exactly what it means.

A pattern matches the WHOLE value, in durable-rules' Lua-like syntax (`%d`, not `\\d`; see
docs/rule-format.md). Its meaning is the ordinary one on the value's own characters, and the oracle
matches with `Reference`, a deterministic automaton built from the pattern: time linear in the value, so
no pattern can make it backtrack (Python's re takes 2^n steps for (a|a)*b on n a's: forty in a rule's
example hung the loader verifying it).

durable-rules does not see the value itself: it matches a pattern against the value's text inside the
JSON it is given, where `"` is `\\"` and a newline `\\n`, so `.`, `{n}`, `%s`, `%p`, `%g` disagreed with
the oracle on such values. So each text a `matches` test reads is also given to durable-rules under its own
key (compile.text_key) as `durable_text(value)`: the 34 characters JSON escapes (controls, `"`, `\\`) are
replaced there by noncharacters that JSON leaves alone (U+FDD0 + code for a control, U+1FFFE for `"`,
U+1FFFF for `\\`), and every noncharacter of the value itself by U+FFFF. Patterns are given to
durable-rules as `durable_pattern(pattern)`: the same tree, written with the same replacements, classes
written out as sets (durable-rules cannot compile `%c` at all, and its `[a%d]` drops the `a`). Patterns
may not name a noncharacter, so the replacements change nothing a pattern can tell apart.

durable-rules compiles patterns with code that overflows its tables, frees memory it still uses, merges
states by a 16-bit hash and sometimes builds an automaton that matches something else (durable_rules/
regex_model.py says where). `check`, run when rules load, accepts a pattern only when that model's run of
the compilation succeeds within its limits and budget AND the automaton it predicts accepts exactly the
strings the pattern means (`_prove`, a walk of the two automata side by side); otherwise it raises
PatternError saying why, with a string the two would disagree on when there is one.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..evaluation.durable_rules import regex_model as durable_regex

MAX_LENGTH = 200  # characters of a pattern
MAX_REPEAT = 100  # m of {n,m}: durable-rules' own MAX_INTERVAL
MAX_SET = 1024  # characters of one set, classes included: durable-rules holds at most 4,096, at a cost in the square
MAX_STATES = 4096  # of the reference automaton (its NFA and its DFA): durable-rules' own bound for its states
PROOF_BUDGET = 400_000  # steps of the side-by-side walk of the two automata
REFERENCE_BUDGET = 1_000_000  # NFA states visited building the reference automaton
MAX_TEXT_BYTES = 65_535
"""durable-rules matches at most this many bytes of a text: events.c passes the length to evaluateRegex as
an unsigned short, so a longer text was matched on its length modulo 65,536 (pipeline.py refuses it)."""

_RANGES = {  # regex.c readEscapedSymbol, as (first, last) code points
    "a": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0xFF)),
    "c": ((0x00, 0x1F), (0x7F, 0x9F)),
    "d": ((0x30, 0x39),),
    "g": ((0x21, 0x7E),),
    "l": ((0x61, 0x7A), (0xDF, 0xF6), (0xF8, 0xFF)),
    "p": tuple((ord(c), ord(c)) for c in ".,;:?!'\"()\u00a1\u00bf-"),
    "s": ((0x09, 0x0D), (0x20, 0x20)),
    "u": ((0x41, 0x5A), (0xC0, 0xD6), (0xD8, 0xDE)),
    "w": ((0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39)),
    "x": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
}
CLASSES = {name: frozenset(c for low, high in ranges for c in range(low, high + 1)) for name, ranges in _RANGES.items()}
LITERAL_ESCAPES = ".|?*+()[]{}%"  # `%` and one of these is that character
_SET_SPECIAL = "]%-^"  # characters written individually (and `]` `%` escaped) inside a set given to durable-rules
_SPLIT_HINT = ("write its variants as separate `matches` tests under any_of (`.*[Ll]ease.*` as `.*Lease.*` and "
               "`.*lease.*`), or simplify it")
_SIMPLIFY_HINT = ("simplify it: fewer and smaller repeats, above all of groups holding `.*` or other repeats; or split "
                  "it into separate `matches` tests under any_of")


class PatternError(ValueError):
    """A pattern the loader refuses; `offset` is the 0-based character it concerns, None for the whole."""

    def __init__(self, message: str, offset: int | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.hint = hint


# -- what durable-rules is given ---------------------------------------------------------------------

NEUTRAL = 0xFFFF  # every noncharacter of a value, for durable-rules
_PROXIES = {**{code: 0xFDD0 + code for code in range(0x20)}, ord('"'): 0x1FFFE, ord("\\"): 0x1FFFF}
_UNPROXIES = {proxy: code for code, proxy in _PROXIES.items()}


def is_noncharacter(code: int) -> bool:
    """Unicode's 66 noncharacters: U+FDD0-U+FDEF and the last two code points of every plane."""
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


_ENCODE = {**{code: NEUTRAL for plane in range(17) for code in (plane << 16 | 0xFFFE, plane << 16 | 0xFFFF)},
           **{code: NEUTRAL for code in range(0xFDD0, 0xFDF0)}, **_PROXIES}


def durable_text(value: str) -> str:
    """The text durable-rules is given for `value`: nothing in it is escaped in JSON."""
    return value.translate(_ENCODE)


def _encoded(code: int) -> int:
    return _PROXIES.get(code, code)


def _decoded(code: int) -> int:
    """The character of a value that stands behind a character durable-rules reads (NEUTRAL: itself, a
    noncharacter, which no pattern names)."""
    return _UNPROXIES.get(code, code)


# -- the tree ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chars:
    """One character: any of `members`, or with `negated` any other (`.` is the empty negated set)."""

    members: frozenset[int]
    negated: bool = False

    def __contains__(self, code: int) -> bool:
        return (code in self.members) != self.negated


ANY = Chars(frozenset(), True)


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Choice:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Group:
    item: Node


@dataclass(frozen=True)
class Repeat:
    """`item` from `low` to `high` times (None: no limit); `written` is the quantifier as written."""

    item: Node
    low: int
    high: int | None
    written: str


Node = Chars | Sequence | Choice | Group | Repeat


def parse(pattern: str) -> Node:
    """The tree of a pattern of the dialect; PatternError, at the character concerned, for anything else."""
    if not pattern:
        raise PatternError("an empty pattern matches only the empty string", 0, "use `equals: \"\"` instead")
    if len(pattern) > MAX_LENGTH:
        raise PatternError(f"pattern is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    parser = _Parser(pattern)
    tree = parser.choice()
    if parser.at < len(pattern):  # choice() stops only at the end or at a `)` it did not open
        raise PatternError("unbalanced ')'", parser.at, "write %) for a literal parenthesis")
    return tree


class _Parser:
    """Recursive descent over the pattern: choice = sequence ('|' sequence)*; sequence = (atom repeat?)*."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0

    def peek(self) -> str:
        return self.pattern[self.at] if self.at < len(self.pattern) else ""

    def choice(self) -> Node:
        items = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            items.append(self.sequence())
        return items[0] if len(items) == 1 else Choice(tuple(items))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.repeat(self.atom()))
        return items[0] if len(items) == 1 else Sequence(tuple(items))

    def atom(self) -> Node:
        char, start = self.peek(), self.at
        if char in "*+?{":
            raise PatternError(f"{char!r} has nothing to repeat", start)
        if char == "(":
            self.at += 1
            inner = self.choice()
            if self.peek() != ")":
                raise PatternError("unbalanced '('", len(self.pattern))
            self.at += 1
            return Group(inner)
        if char == "[":
            return self.char_set()
        if char == "%":
            return self.escape()
        self.at += 1
        if char == ".":
            return ANY
        _check_plain(char, start, in_set=False)
        return Chars(frozenset((ord(char),)))

    def escape(self) -> Chars:
        """`%x`: a class, or a literal metacharacter."""
        start = self.at
        if start + 1 >= len(self.pattern):
            raise PatternError("'%' at the end of the pattern", start, "write %% for a literal percent sign")
        code = self.pattern[start + 1]
        self.at += 2
        if code in CLASSES:
            return Chars(CLASSES[code])
        if code in LITERAL_ESCAPES:
            return Chars(frozenset((ord(code),)))
        raise PatternError(f"unknown escape %{code}", start,
                           "classes are %a %c %d %g %l %p %s %u %w %x; %. %% %( etc. are literal")

    def char_set(self) -> Chars:
        """`[...]` or `[^...]`: characters, `a-z` ranges, classes and literal escapes; a `]` first and a `-`
        last are literal."""
        start = self.at
        self.at += 1
        negated = self.peek() == "^"
        self.at += negated
        members: set[int] = set()
        previous: str | None = None  # the last plain character, which may start a range
        first = True
        while self.peek() and (self.peek() != "]" or first):
            char = self.peek()
            if char == "%":
                members |= self.escape().members
                previous = None
            elif char == "-" and self.pattern[self.at + 1:self.at + 2] == "]" and not first:
                members.add(ord("-"))
                self.at += 1
            elif char == "-":
                members |= self.char_range(previous)
                previous = None
            else:
                _check_plain(char, self.at, in_set=True)
                members.add(ord(char))
                previous = char
                self.at += 1
            first = False
            if len(members) > MAX_SET:
                raise PatternError(f"a set of more than {MAX_SET} characters", start,
                                   "durable-rules matches each character of a set separately: use `.` or a negated set")
        if not self.peek():
            raise PatternError("unterminated '['", start, "write %[ for a literal bracket")
        self.at += 1
        return Chars(frozenset(members), negated)

    def char_range(self, low: str | None) -> set[int]:
        """The range from `low` to the character after this `-`, both plain and in order."""
        high = self.pattern[self.at + 1:self.at + 2]
        if low is None or not high or high in "%\\]" or high < low:
            raise PatternError("a '-' in a set must join two plain characters in order (a-z), or end the set", self.at)
        _check_plain(high, self.at + 1, in_set=True)
        if ord(high) - ord(low) >= MAX_SET:
            raise PatternError(f"a set of more than {MAX_SET} characters", self.at,
                               "durable-rules matches each character of a set separately: use `.` or a negated set")
        codes = set(range(ord(low), ord(high) + 1))
        reserved = [code for code in codes if is_noncharacter(code)]
        if reserved:
            raise _noncharacter(reserved[0], self.at)
        self.at += 2
        return codes

    def repeat(self, item: Node) -> Node:
        """`item` with the quantifier after it, if any; a second quantifier has nothing to repeat."""
        start, char = self.at, self.peek()
        if char in ("*", "+", "?"):
            self.at += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            low, high = self.interval()
        else:
            return item
        if self.peek() and self.peek() in "*+?{":
            raise PatternError(f"{self.peek()!r} has nothing to repeat", self.at)
        return Repeat(item, low, high, self.pattern[start:self.at])

    def interval(self) -> tuple[int, int | None]:
        """`{n}`, `{n,}` or `{n,m}`, with n <= m <= MAX_REPEAT and not {0} (which durable-rules reads as `*`)."""
        start = self.at
        end = self.pattern.find("}", start)
        body = self.pattern[start + 1:end].split(",") if end != -1 else []
        if not 1 <= len(body) <= 2 or not all(part.isascii() and part.isdigit() and len(part) <= 3
                                                for part in body[:1] + [p for p in body[1:] if p]):
            raise PatternError("a repeat must be {n}, {n,} or {n,m} after something to repeat", start)
        low = int(body[0])
        high = low if len(body) == 1 else int(body[1]) if body[1] else None
        if low > MAX_REPEAT or (high is not None and (high < low or high > MAX_REPEAT)):
            raise PatternError(f"repeat counts must satisfy n <= m <= {MAX_REPEAT}", start)
        if high == 0:
            raise PatternError("a repeat of zero times: durable-rules would read it as '*'", start,
                               "leave out the part repeated zero times")
        self.at = end + 1
        return low, high


def _check_plain(char: str, offset: int, in_set: bool) -> None:
    """A character standing for itself: not a backslash, an anchor, a stray bracket or a noncharacter."""
    if char == "\\":
        raise PatternError("backslash escapes never match in durable-rules patterns", offset,
                           "write %d for a digit, %s for a space, %. for a literal dot")
    if not in_set and char in "^$":
        raise PatternError(f"{char!r} is not an anchor here: patterns always match the whole value", offset,
                           "drop it, and use .* at either end to match part of a value")
    if not in_set and char in "]}":
        raise PatternError(f"unbalanced {char!r}", offset, f"write %{char} for a literal {char}")
    if is_noncharacter(ord(char)):
        raise _noncharacter(ord(char), offset)


def _noncharacter(code: int, offset: int) -> PatternError:
    return PatternError(f"U+{code:04X} is a noncharacter, which precomment reserves for what it gives durable-rules",
                        offset, "leave it out: `.` and negated sets ([^...]) still match it")


# -- the pattern in durable-rules' syntax ------------------------------------------------------------


def emit(tree: Node) -> str:
    """The tree in durable-rules' syntax over durable_text: no class escape, no character JSON escapes."""
    if isinstance(tree, Chars):
        return _emit_chars(tree)
    if isinstance(tree, Sequence):
        return "".join(emit(item) for item in tree.items)
    if isinstance(tree, Choice):
        return "|".join(emit(item) for item in tree.items)
    if isinstance(tree, Group):
        return f"({emit(tree.item)})"
    return emit(tree.item) + tree.written


def _emit_chars(chars: Chars) -> str:
    if chars == ANY:
        return "."
    codes = sorted(_encoded(code) for code in chars.members)
    if len(codes) == 1 and not chars.negated:
        char = chr(codes[0])
        return f"%{char}" if char in LITERAL_ESCAPES else char
    items, specials = _set_items(codes)
    if not chars.negated and not items and "^" in specials:
        return "(^|-)" if "-" in specials else "^"  # no set of durable-rules starts with a literal `^`
    if not chars.negated and "^" in specials:
        items.insert(1, "^")  # anywhere but first, where it would negate the set
    elif "^" in specials:
        items.append("^")
    return ("[^" if chars.negated else "[") + "".join(items) + ("-" if "-" in specials else "") + "]"


def _set_items(codes: list[int]) -> tuple[list[str], set[str]]:
    """The items of a set of sorted code points: `a-z` for runs of three or more plain characters, `%]`
    and `%%` escaped; `-` and `^` are returned apart, to be placed where durable-rules reads them as
    themselves (`-` last, `^` not first)."""
    items: list[str] = []
    specials: set[str] = set()
    run: list[int] = []
    for code in codes + [-1]:
        if run and code == run[-1] + 1 and chr(code) not in _SET_SPECIAL and chr(run[-1]) not in _SET_SPECIAL:
            run.append(code)
            continue
        if len(run) >= 3:
            items.append(f"{chr(run[0])}-{chr(run[-1])}")
        else:
            for member in run:
                char = chr(member)
                if char in "-^":
                    specials.add(char)
                else:
                    items.append(f"%{char}" if char in "]%" else char)
        run = [code]
    return items, specials


# -- the reference automaton: what the pattern means ------------------------------------------------


class Reference:
    """The pattern's meaning as a DFA over classes of characters (characters no set of the pattern tells
    apart share a class): `matches` reads each character once."""

    def __init__(self, tree: Node) -> None:
        sets = sorted(set(_sets(tree)), key=lambda c: (c.negated, sorted(c.members)))
        self.mentioned = frozenset(code for chars in sets for code in chars.members)
        signatures: dict[tuple[bool, ...], int] = {}
        self.other = signatures.setdefault(tuple(chars.negated for chars in sets), 0)
        self.classes: dict[str, int] = {}
        for code in sorted(self.mentioned):
            signature = tuple(code in chars for chars in sets)
            self.classes[chr(code)] = signatures.setdefault(signature, len(signatures))
        self.accepts = {chars: [k for s, k in signatures.items() if s[i]] for i, chars in enumerate(sets)}
        self.width = len(signatures)
        self.table, self.accepting, self.dead = _determinize(_Nfa(tree), self)

    def class_of(self, char: str) -> int:
        return self.classes.get(char, self.other)

    def matches(self, text: str) -> bool:
        state, table, classes, other, dead = 0, self.table, self.classes, self.other, self.dead
        for char in text:
            state = table[state][classes.get(char, other)]
            if state == dead:
                return False
        return self.accepting[state]


def _sets(tree: Node) -> Iterator[Chars]:
    """Every Chars of the tree."""
    if isinstance(tree, Chars):
        yield tree
    elif isinstance(tree, (Sequence, Choice)):
        for item in tree.items:
            yield from _sets(item)
    else:
        yield from _sets(tree.item)


class _Nfa:
    """Thompson's construction: state 0 starts, `final` accepts; `edges[s]` are (Chars, target) pairs and
    `empty[s]` the epsilon targets. Repeats are written out, so the states are bounded (MAX_STATES)."""

    def __init__(self, tree: Node) -> None:
        self.edges: list[list[tuple[Chars, int]]] = []
        self.empty: list[list[int]] = []
        self.final = self.fragment(tree, self.state())

    def state(self) -> int:
        if len(self.edges) >= MAX_STATES:
            raise PatternError(f"the pattern needs more than {MAX_STATES} states", None,
                               "use fewer or smaller counted repeats {n,m}")
        self.edges.append([])
        self.empty.append([])
        return len(self.edges) - 1

    def fragment(self, tree: Node, start: int) -> int:
        """States for `tree` entered at `start`; returns the state it leaves from."""
        if isinstance(tree, Chars):
            end = self.state()
            self.edges[start].append((tree, end))
            return end
        if isinstance(tree, Sequence):
            for item in tree.items:
                start = self.fragment(item, start)
            return start
        if isinstance(tree, Choice):
            end = self.state()
            for item in tree.items:
                branch = self.state()
                self.empty[start].append(branch)
                self.empty[self.fragment(item, branch)].append(end)
            return end
        if isinstance(tree, Group):
            return self.fragment(tree.item, start)
        return self.repeat(tree, start)

    def repeat(self, tree: Repeat, start: int) -> int:
        for _ in range(tree.low):
            start = self.fragment(tree.item, start)
        if tree.high is None:  # a loop on a state of its own, so that nothing before it can loop with it
            head = self.state()
            self.empty[start].append(head)
            self.empty[self.fragment(tree.item, head)].append(head)
            return head
        end = self.state()
        self.empty[start].append(end)
        for _ in range(tree.high - tree.low):  # each further copy may be skipped to the end
            start = self.fragment(tree.item, start)
            self.empty[start].append(end)
        return end

    def closure(self, states: Iterable[int]) -> frozenset[int]:
        seen = set(states)
        stack = list(seen)
        while stack:
            for target in self.empty[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return frozenset(seen)


def _determinize(nfa: _Nfa, reference: Reference) -> tuple[list[list[int]], list[bool], int]:
    """Subset construction over the reference's classes: (table, accepting, dead state), within
    MAX_STATES states and REFERENCE_BUDGET steps (NFA states visited)."""
    start = nfa.closure([0])
    index = {start: 0}
    subsets = [start]
    table: list[list[int]] = []
    steps = 0
    while len(table) < len(subsets):
        moves: list[set[int]] = [set() for _ in range(reference.width)]
        for state in subsets[len(table)]:
            for chars, target in nfa.edges[state]:
                for k in reference.accepts[chars]:
                    moves[k].add(target)
        row = []
        for targets in moves:
            subset = nfa.closure(targets)
            steps += len(subset) + 1
            if subset not in index:
                if len(subsets) >= MAX_STATES or steps > REFERENCE_BUDGET:
                    raise PatternError("the pattern is too complex to prove that durable-rules matches it as written",
                                       None, _SPLIT_HINT)
                index[subset] = len(subsets)
                subsets.append(subset)
            row.append(index[subset])
        table.append(row)
    dead = index.get(frozenset(), -1)
    return table, [nfa.final in subset for subset in subsets], dead


# -- the proof ---------------------------------------------------------------------------------------


def _prove(reference: Reference, automaton: durable_regex.Automaton) -> None:
    """Walk the reference automaton and durable-rules' side by side on every string (one symbol per class
    of symbols both treat alike), from the empty one; PatternError with the first string on which one
    accepts and the other does not."""
    groups = _symbol_groups(reference, automaton)
    start = (durable_regex.Automaton.START, 0)
    parents: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {start: None}
    queue = [start]
    steps = 0
    for pair in queue:
        if (pair[0] in automaton.accepting) != reference.accepting[pair[1]]:  # its state 0: it gave up
            raise _disagreement(reference, automaton, pair, parents)
        if pair[0] == 0 and pair[1] == reference.dead:
            continue  # both refuse whatever follows
        for symbol in groups:
            steps += 1
            if steps > PROOF_BUDGET:
                raise PatternError("the pattern is too complex to prove that durable-rules matches it as written",
                                   None, _SPLIT_HINT)
            following = (automaton.step(pair[0], symbol) if pair[0] else 0,
                         reference.table[pair[1]][reference.class_of(chr(_decoded(symbol)))])
            if following not in parents:
                parents[following] = (pair, symbol)
                queue.append(following)


def _symbol_groups(reference: Reference, automaton: durable_regex.Automaton) -> list[int]:
    """One symbol (as durable-rules reads it) for each way of being treated by both automata: every
    symbol of durable-rules' table or named by the pattern, and NEUTRAL for all the others."""
    candidates = sorted((automaton.vocabulary - {durable_regex.DOT}) | {_encoded(c) for c in reference.mentioned}
                        | {NEUTRAL})
    groups: dict[tuple[tuple[int, ...], int], int] = {}  # (durable-rules' steps, the class) -> a symbol
    for symbol in candidates:
        behaviour = tuple(automaton.step(state, symbol) for state in range(1, automaton.states + 1))
        groups.setdefault((behaviour, reference.class_of(chr(_decoded(symbol)))), symbol)
    return list(groups.values())


def _disagreement(reference: Reference, automaton: durable_regex.Automaton, pair: tuple[int, int],
                  parents: dict[tuple[int, int], tuple[tuple[int, int], int] | None]) -> PatternError:
    """The error for the first pair the two automata disagree on, with the string that leads there."""
    matched = reference.accepting[pair[1]]
    symbols: list[int] = []
    step = parents[pair]
    while step is not None:
        pair, symbol = step
        symbols.append(symbol)
        step = parents[pair]
    example = "".join(_shown(reference, automaton, symbol) for symbol in reversed(symbols))
    if matched:
        message = f"durable-rules would not match {example!r}, which the pattern matches"
    else:
        message = f"durable-rules would match {example!r}, which the pattern does not match"
    return PatternError(message, None, _SPLIT_HINT)


def _shown(reference: Reference, automaton: durable_regex.Automaton, symbol: int) -> str:
    """The character of a value a symbol stands for; for NEUTRAL, a readable one neither automaton names
    (all such characters are treated alike), else U+FFFF itself."""
    if symbol != NEUTRAL:
        return chr(_decoded(symbol))
    named = automaton.vocabulary | reference.mentioned
    return next((c for c in "~#&_xyzqXYZ0123456789" if ord(c) not in named), chr(NEUTRAL))


# -- the entry points --------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _tree(pattern: str) -> Node:
    return parse(pattern)


@lru_cache(maxsize=1024)
def durable_pattern(pattern: str) -> str:
    """What durable-rules is given for the pattern."""
    return emit(_tree(pattern))


@lru_cache(maxsize=1024)
def matcher(pattern: str) -> Reference:
    """What the oracle matches with: the pattern's meaning."""
    return Reference(_tree(pattern))


@lru_cache(maxsize=1024)
def check(pattern: str) -> None:
    """Accept a pattern only if durable-rules compiles it safely into an automaton that matches exactly what
    it means; else PatternError (offset None when it concerns the whole pattern). durable-rules' compilation
    is modelled first: it refuses most hostile patterns at a fraction of the cost of the reference."""
    try:
        automaton = durable_regex.compile_pattern(durable_pattern(pattern))
    except durable_regex.Unsafe as unsafe:
        raise PatternError(f"durable-rules cannot take this pattern: {unsafe.reason}", None, _SIMPLIFY_HINT) from None
    _prove(matcher(pattern), automaton)
