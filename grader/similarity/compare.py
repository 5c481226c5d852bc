"""Pairs of submissions of one kata whose candidate-written code is alike, and where.

A submission's fingerprints are those of its Python files less every fingerprint of the kata's
starter, so handed-out code never counts. A pair's score is the share of fingerprints they have
in common, 2·|A∩B| / (|A| + |B|), as Dolos reports it: 1 for the same code, whatever it is
called or in which order its functions stand; independent solutions of one kata stay low.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

from pydantic import BaseModel

from grader.similarity import DEFAULT_THRESHOLD
from grader.similarity.fingerprint import WINDOW, K, Tokens, fingerprints, normalize
from grader.similarity.sources import SourceFile, python_files

MIN_SHARED = 3  # fewer shared fingerprints is one common idiom, not a copied solution
MAX_PAIRS = 100  # listed, the most alike: a batch of copies must not make a report of thousands
MAX_FRAGMENTS = 5  # per pair, the longest
MAX_FRAGMENT_LINES = 30


class Span(BaseModel):
    """Lines `first`..`last` (from 1) of one submission's file, and their text."""

    file: str
    first: int
    last: int
    text: str


class Fragment(BaseModel):
    tokens: int  # the match's length in normalized tokens
    a: Span
    b: Span


class SimilarPair(BaseModel):
    a: str  # the submissions, as their scorecards name them
    b: str
    score: float
    shared: int  # fingerprints in common
    fragments: list[Fragment]


class SimilarityReport(BaseModel):
    """What a batch found, and with which settings (summary.json's "similarity")."""

    threshold: float
    k: int = K
    window: int = WINDOW
    compared: int  # submissions
    seconds: float
    pairs: list[SimilarPair]
    unlisted: int = 0  # pairs over the threshold beyond MAX_PAIRS


@dataclass(frozen=True)
class Submission:
    name: str  # as on its scorecard
    path: Path
    kata: str  # compared only within a kata; one that does not load has no starter


@dataclass
class _Printed:
    """One submission's files, tokens and fingerprints: hash -> (file index, token position)."""

    submission: Submission
    files: list[SourceFile]
    tokens: list[Tokens]
    where: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


def find_similar(submissions: Sequence[Submission],
                 threshold: float = DEFAULT_THRESHOLD) -> SimilarityReport:
    """Every pair of submissions of the same kata scoring at least `threshold`, best first."""
    started = time.perf_counter()
    seen: dict[str, _File] = {}  # by text: copies and untouched files are tokenized once
    printed = [_fingerprint(submission, seen) for submission in submissions]
    alike = sorted(_alike(printed, threshold), key=lambda found: (
        -found[0], found[1].submission.name, found[2].submission.name))
    pairs = [_pair(a, b) for _, a, b in alike[:MAX_PAIRS]]
    return SimilarityReport(threshold=threshold, compared=len(submissions),
                            seconds=round(time.perf_counter() - started, 3), pairs=pairs,
                            unlisted=max(0, len(alike) - MAX_PAIRS))


def _alike(printed: list[_Printed],
           threshold: float) -> Iterator[tuple[float, _Printed, _Printed]]:
    """(score, a, b) of every pair of one kata at or over the threshold."""
    for a, b in combinations(printed, 2):
        if a.submission.kata == b.submission.kata:
            shared = a.where.keys() & b.where.keys()
            score = _score(a, b, shared)
            if len(shared) >= MIN_SHARED and score >= threshold:
                yield score, a, b


def _score(a: _Printed, b: _Printed, shared: set[int]) -> float:
    return round(2 * len(shared) / (len(a.where) + len(b.where) or 1), 3)


def _pair(a: _Printed, b: _Printed) -> SimilarPair:
    shared = a.where.keys() & b.where.keys()
    return SimilarPair(a=a.submission.name, b=b.submission.name, score=_score(a, b, shared),
                       shared=len(shared), fragments=_fragments(a, b, shared))


@dataclass(frozen=True)
class _File:
    tokens: Tokens
    prints: list[tuple[int, int]]


def _fingerprint(submission: Submission, seen: dict[str, _File]) -> _Printed:
    starter = _starter(submission.kata)
    files = [file for file in python_files(submission.path) if file.text not in starter.texts]
    printed = _Printed(submission, files, [])
    for index, file in enumerate(files):
        known = seen.get(file.text)
        if known is None:
            tokens = normalize(file.text)
            known = seen[file.text] = _File(tokens, fingerprints(tokens.ids))
        printed.tokens.append(known.tokens)
        for value, position in known.prints:
            if value not in starter.prints:
                printed.where.setdefault(value, []).append((index, position))
    return printed


@dataclass(frozen=True)
class _Starter:
    texts: frozenset[str]  # its files: a submission's untouched copy is not even tokenized
    prints: frozenset[int]  # every k-gram of them (not winnowed): edited copies lose them too


@cache
def _starter(kata_id: str) -> _Starter:
    """The kata's starter; an empty one for a kata that does not load."""
    from grader.errors import UserError
    from grader.kata import load_kata

    try:
        files = python_files(load_kata(kata_id).starter_dir)
    except UserError:
        files = []
    return _Starter(frozenset(file.text for file in files),
                    frozenset(value for file in files
                              for value, _ in fingerprints(normalize(file.text).ids, window=1)))


def _fragments(a: _Printed, b: _Printed, shared: set[int]) -> list[Fragment]:
    """Shared fingerprints that follow each other in both submissions (each at its first place
    in either), joined into runs: the longest runs, in the order of the first submission's files.
    """
    matches = sorted((*a.where[value][0], *b.where[value][0]) for value in shared)
    runs: list[list[int]] = []  # [file a, start a, last a, file b, start b, last b]
    current: dict[tuple[int, int], list[int]] = {}  # the run being extended, per pair of files
    for fa, pa, fb, pb in matches:
        run = current.get((fa, fb))
        if run is not None and 0 < pa - run[2] <= K and 0 < pb - run[5] <= K:
            run[2], run[5] = pa, pb
        else:
            current[fa, fb] = run = [fa, pa, pa, fb, pb, pb]
            runs.append(run)
    runs.sort(key=lambda run: -(run[2] - run[1]))
    return [Fragment(tokens=run[2] - run[1] + K, a=_span(a, run[0], run[1], run[2]),
                     b=_span(b, run[3], run[4], run[5])) for run in sorted(runs[:MAX_FRAGMENTS])]


def _span(printed: _Printed, index: int, start: int, last: int) -> Span:
    lines = printed.tokens[index].lines
    first, final = lines[start], lines[min(last + K - 1, len(lines) - 1)]
    source = printed.files[index].text.split("\n")  # as tokenize counts lines
    shown = [line.rstrip("\r") for line in source[first - 1:min(final,
                                                                 first + MAX_FRAGMENT_LINES - 1)]]
    if final - first + 1 > MAX_FRAGMENT_LINES:
        shown.append(f"… {final - first + 1 - MAX_FRAGMENT_LINES} more lines")
    return Span(file=printed.files[index].path, first=first, last=final, text="\n".join(shown))
