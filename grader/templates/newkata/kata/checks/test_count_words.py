"""task.count_words: count_words(text) gives each word's count, words compared in lower case.

How a check works (kata.yaml names this file under the item it backs):
- `tasks.call(name, *args)` calls a function of the candidate's tasks.py in its sandbox; the
  arguments and the answer cross as JSON. A call that raises fails the check with its error.
- `seed` is drawn anew for every run: build the data from it, so no answer can be hard-coded.
- Every check also asks for a right answer, not just some answer (a positive control): a stub
  that returns a constant, such as {}, earns nothing.
Other fixtures (grader/checks.py): `api` (the app over HTTP), `db` (the grading database),
`schema`, `dataset` (what a checks/conftest.py `pytest_kata_setup_database` hook loads and
returns; see katas/shop-api/checks/conftest.py), `statement`, `candidate`.

Next: replace these with checks of your exercise, one rule each, and run
`kata selftest KATA_ID --mutants`: it lists, as diffs, the mistakes no check notices.
"""

from __future__ import annotations

import random

LETTERS = "abcdefghijklmnopqrstuvwxyz"
SPACES = (" ", "  ", "\t", "\n", " \r\n ")


def _vocabulary(seed: int, size: int) -> list[str]:
    """`size` different lower-case words."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(LETTERS, k=rng.randint(2, 8))))
    return sorted(words)


def _join(words: list[str], rng: random.Random) -> str:
    """The words, separated (and surrounded) by white space of every kind."""
    return "".join(rng.choice(SPACES) + word for word in words) + rng.choice(SPACES)


def test_counts_every_word(tasks, seed):
    rng = random.Random(seed)
    expected = {word: rng.randint(1, 4) for word in _vocabulary(seed, 6)}
    words = [word for word, count in expected.items() for _ in range(count)]
    rng.shuffle(words)
    text = _join(words, rng)
    got = tasks.call("count_words", text)
    assert got == expected, f"count_words({text!r}): expected {expected}, got {got!r}"


def test_words_differing_in_case_are_one_word(tasks, seed):
    word, other = _vocabulary(seed + 1, 2)
    text = f"{word.upper()} {other} {word} {word.capitalize()}"
    got = tasks.call("count_words", text)
    expected = {word: 3, other: 1}
    assert got == expected, f"count_words({text!r}): expected {expected}, got {got!r}"


def test_a_text_without_words_gives_no_counts(tasks, seed):
    (word,) = _vocabulary(seed + 2, 1)
    blank = "".join(random.Random(seed).choices(SPACES, k=3))
    # The positive control: a stub that always returns {} fails on the first text.
    for text, expected in ((f" {word}\n", {word: 1}), ("", {}), (blank, {})):
        got = tasks.call("count_words", text)
        assert got == expected, f"count_words({text!r}): expected {expected}, got {got!r}"
