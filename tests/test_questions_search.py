"""Search ranking on known cases, typo tolerance, and the CLI around it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cli
from question_bank.bank import load_bank
from question_bank.search import edit_distance, search, tokenize

runner = CliRunner()


@pytest.fixture(scope="module")
def questions():
    return load_bank([]).questions


def top(questions, text: str, n: int = 1) -> list[str]:
    return [hit.question.id for hit in search(questions, text, limit=n)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("GIL", "gil-what-and-why"),
        ("merge conflict", "git-merge-conflict"),
        ("list tuple", "list-vs-tuple"),
        ("connection pool", "connection-pooling"),
        ("refresh token", "access-refresh-tokens"),
        ("dockerfile", "dockerfile-purpose"),
        ("virtual environment venv", "venv-why"),
        ("inner outer join", "join-inner-vs-outer"),
    ],
)
def test_known_queries_rank_the_obvious_question_first(questions, query, expected) -> None:
    assert top(questions, query) == [expected]


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("metaclsas", {"metaclass-what", "metaclass-alternatives"}),
        ("decroator", {"decorator-basics", "decorator-with-arguments"}),
        ("dependecy injection", {"fastapi-dependency-injection"}),
        ("idempotncy key", {"idempotency-keys"}),
    ],
)
def test_typos_are_tolerated(questions, typo, expected) -> None:
    assert set(top(questions, typo, n=len(expected))) == expected


def test_prefix_matches_count(questions) -> None:
    assert top(questions, "metacl")[0].startswith("metaclass")


def test_question_text_outranks_a_passing_mention(questions) -> None:
    # "N+1" is mentioned in several answers; the question about it must lead.
    ids = top(questions, "N+1 query problem", n=3)
    assert ids[0] == "n-plus-one-what"


def test_no_match_and_stopwords_only(questions) -> None:
    assert search(questions, "zzzzqqq") == []
    assert search(questions, "what is the") == []


def test_limit_and_scores_descend_within_equal_coverage(questions) -> None:
    hits = search(questions, "cache", limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_tokenize_folds_case_and_plurals() -> None:
    assert tokenize("Indexes and Tokens, the JOINs") == ["index", "token", "join"]


def test_edit_distance_counts_swaps_once() -> None:
    assert edit_distance("decroator", "decorator", 2) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("abc", "abcdefgh", 2) == 3  # gives up past the limit


def test_search_cli_json_and_filters() -> None:
    result = runner.invoke(cli.app, ["questions", "search", "index", "--json", "-n", "3",
                                     "--section", "database"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert all(h["section"] == "database" for h in hits)
    assert hits[0]["id"] == "postgres-index-types"


def test_search_cli_table() -> None:
    result = runner.invoke(cli.app, ["questions", "search", "asyncio gather"])
    assert result.exit_code == 0
    assert "asyncio-gather-wait-taskgroup" in result.output
