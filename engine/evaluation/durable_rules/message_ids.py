"""Ids for the facts of one durable-rules session: all with different hashes, and a bucket at a time.

durable-rules 2.0.28 keeps a session's facts in an index of 512 buckets, chosen by the 32-bit FNV-1a hash
of the fact's `id` (state.c, storeMessage and fnv1Hash32). To store a fact it walks the whole chain of
its bucket, comparing hashes only: a fact whose id hashes like a stored one is refused as "already
observed", whatever its id. Each stored fact is a jsonObject of several kilobytes (BENCHMARKS.md, 'Fact
ids').

The JSON pointers the facts had as ids could collide (at 28,000 facts in a session, about one session
in eleven would hold a pair), and spread the facts at random over the buckets, so every step of a walk
touched memory far from the last, a cache miss a step: a sizeable part of the evaluation at the largest
sizes (BENCHMARKS.md, 'Fact ids'). The ids here are decimal numbers, skipping any whose hash another one
(or the trigger's id) already has, and handed out so that a session's consecutive facts share a bucket:
runs of ceil(n / 512) facts, each run in a bucket of its own. A walk then covers only the facts stored
just before, still in the cache, and the facts keep their document order. Which numbers a session gets
depends on what the process has drawn before; it changes nothing but speed, since rules never read `id`
(they read `_id`, the fact's JSON pointer: fact_model.PSEUDO_FIELDS).
"""
from __future__ import annotations

import functools

FNV_BASIS = 0x811C9DC5
FNV_PRIME = 0x01000193
BUCKETS = 512  # state.h, MAX_MESSAGE_INDEX_LENGTH
_MASK = 0xFFFFFFFF

_hashes: list[int] = []  # the hash of str(k), for every k tried so far
_pool: list[list[str]] = [[] for _ in range(BUCKETS)]  # usable ids, by bucket, in increasing order
_taken: set[int] = set()


def fnv1a(text: str) -> int:
    """durable-rules' hash of a string (its bytes as C `char`, which is signed on x86)."""
    value = FNV_BASIS
    for byte in text.encode("utf-8"):
        value = ((value ^ (byte - 256 if byte > 127 else byte)) & _MASK) * FNV_PRIME & _MASK
    return value


def reserve(text: str) -> None:
    """Hand out no id that hashes like `text` (an id asserted by other means)."""
    value = fnv1a(text)
    _taken.add(value)
    bucket = _pool[value % BUCKETS]
    bucket[:] = [ident for ident in bucket if fnv1a(ident) != value]
    session_ids.cache_clear()


@functools.lru_cache(maxsize=256)
def session_ids(count: int) -> tuple[str, ...]:
    """`count` ids with pairwise different hashes, in runs of ceil(count / 512) that share a bucket, each
    run in a bucket of its own."""
    if count <= 0:
        return ()
    run = -(-count // BUCKETS)
    runs = -(-count // run)
    while True:
        full = [bucket for bucket in _pool if len(bucket) >= run]
        if len(full) >= runs:
            return tuple(ident for bucket in full[:runs] for ident in bucket[:run])[:count]
        _grow(max(count, BUCKETS))


def _grow(tries: int) -> None:
    """Try `tries` more decimal numbers as ids. The hash of str(k) is that of str(k // 10) followed by one
    digit, so each costs one step."""
    for k in range(len(_hashes), len(_hashes) + tries):
        value = ((_hashes[k // 10] if k >= 10 else FNV_BASIS) ^ (48 + k % 10)) * FNV_PRIME & _MASK
        _hashes.append(value)
        if value not in _taken:
            _taken.add(value)
            _pool[value % BUCKETS].append(str(k))
