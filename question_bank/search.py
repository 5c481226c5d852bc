"""Ranked, typo-tolerant search over the bank.

BM25 over weighted fields (the question and tags count more than the answer body). A query
word that is not in the vocabulary is matched to close words by edit distance or as a prefix,
at a discount, so "metaclas" and "decroator" still find their questions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from question_bank.models import Question

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "in", "is", "it", "its", "of", "on", "or", "the", "this", "to", "what", "when", "where",
    "which", "who", "why", "with", "you", "your",
))
FIELD_WEIGHTS = {"question": 3.0, "tags": 3.0, "id": 2.0, "short_answer": 2.0, "answer": 1.0,
                 "key_points": 1.0, "follow_ups": 0.5}
_K1, _B = 1.5, 0.75


@dataclass(frozen=True)
class Hit:
    question: Question
    score: float


def tokenize(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def _stem(word: str) -> str:
    """Just enough stemming to fold plurals: 'indexes' -> 'index', 'tokens' -> 'token'."""
    if len(word) > 4 and word.endswith(("xes", "ses", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _fields(question: Question) -> dict[str, str]:
    return {
        "question": question.question,
        "tags": " ".join(t.replace("-", " ") for t in question.tags),
        "id": question.id.replace("-", " "),
        "short_answer": question.short_answer,
        "answer": question.answer,
        "key_points": " ".join(question.key_points),
        "follow_ups": " ".join(question.follow_ups),
    }


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent swaps count once), giving up early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class SearchIndex:
    """BM25F: term frequencies are normalised per field, weighted, then saturated once."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions = questions
        self.docs: list[dict[str, Counter[str]]] = []
        self.df: Counter[str] = Counter()
        for question in questions:
            fields = {name: Counter(tokenize(text)) for name, text in _fields(question).items()}
            self.docs.append(fields)
            self.df.update(set().union(*fields.values()))
        count = max(len(self.docs), 1)
        self.avg_length = {
            name: max(sum(sum(doc[name].values()) for doc in self.docs) / count, 1.0)
            for name in FIELD_WEIGHTS
        }

    def _weighted_tf(self, fields: dict[str, Counter[str]], word: str) -> float:
        total = 0.0
        for name, counts in fields.items():
            if counts[word]:
                length = sum(counts.values()) / self.avg_length[name]
                total += FIELD_WEIGHTS[name] * counts[word] / (1 - _B + _B * length)
        return total

    def expand(self, term: str) -> dict[str, float]:
        """The vocabulary words a query word stands for, with how much each counts."""
        if term in self.df:
            return {term: 1.0}
        limit = 0 if len(term) <= 3 else 1 if len(term) <= 7 else 2
        found: dict[str, float] = {}
        for word in self.df:
            if len(term) >= 3 and word.startswith(term):
                found[word] = max(found.get(word, 0.0), 0.8)
            elif limit and edit_distance(term, word, limit) <= limit:
                found[word] = max(found.get(word, 0.0), 0.6)
        return found

    def search(self, text: str, limit: int | None = 10) -> list[Hit]:
        terms = tokenize(text)
        if not terms:
            return []
        n = len(self.questions)
        scores = [0.0] * n
        matched = [0] * n
        for term in dict.fromkeys(terms):
            hit_by_term: set[int] = set()
            for word, factor in self.expand(term).items():
                idf = math.log(1 + (n - self.df[word] + 0.5) / (self.df[word] + 0.5))
                for i, fields in enumerate(self.docs):
                    tf = self._weighted_tf(fields, word)
                    if not tf:
                        continue
                    scores[i] += factor * idf * tf * (_K1 + 1) / (tf + _K1)
                    hit_by_term.add(i)
            for i in hit_by_term:
                matched[i] += 1
        # Questions matching more of the query's words come first, then by score.
        ranked = sorted(
            (i for i in range(n) if scores[i] > 0),
            key=lambda i: (-matched[i], -scores[i], self.questions[i].id),
        )
        hits = [Hit(self.questions[i], round(scores[i], 3)) for i in ranked]
        return hits[:limit] if limit else hits


def search(questions: list[Question], text: str, limit: int | None = 10) -> list[Hit]:
    return SearchIndex(questions).search(text, limit)
