"""What a kata's hidden checks may use: the fixtures' types and the helpers katas share.

A kata's checks are pytest files under `katas/<id>/checks/`, run by the grader in its own process
(never in the candidate's). These fixtures are given to them, each session-scoped, so a check and
a fixture of any scope may ask for them; one that is not ready fails the checks that need it with
the reason, and a stage the layout does not declare fails them at once:

| fixture | type | what it offers |
|---|---|---|
| `api` | `ApiClient` | httpx over the app; its SQL: `.statements()`, `.statements_since(mark)` |
| `tasks` | `TasksClient` | `.call(name, *args)`, `.run(steps, new=Class)`: the tasks module |
| `db` | `GradingDatabase` | the grading database, read and written directly, once the data is in |
| `dataset` | any | what the kata's `pytest_kata_setup_database` hook returned |
| `schema` | `SchemaReport` | what the models declare and how the schema was made |
| `seed` | `int` | this run's seed: hidden data is drawn from it |
| `statement` | `Statement` | the layout's statement and its named rules (`.ask(name, default)`) |
| `candidate` | `CandidateRun` | `.restart_app(env)`, `.secret`, `.data_dir`, `.folders`, below |

`api.statements()` counts the SQL statements the app has run; `api.statements_since(mark)`, with
`mark = api.statement_mark()` taken before a request, gives their texts (the latest 64, each cut
to 2,000 characters), so a check can see that a request ran a COUNT or a LIMIT. PostgreSQL's
server gives them (normalized by pg_stat_statements: `$1` for each constant), else the app's
process records them.

What the app did beside its answers: `candidate.list_files(folder)` lists what it left in one of
the layout's `folders` (or `data_dir`, or the run folder above them), `candidate.read_file(path)`
reads one safely (as the candidate, no link followed), and `candidate.app_memory()` gives a
`MemoryUse` (`.rss` now, `.peak`, in bytes) of the app and every process it started, or None
where the machine cannot tell.

README's "Authoring a kata" tells the rest: kata.yaml, layouts and their stages, tiers, limits.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from grader.api import ApiClient, StatementMark
from grader.candidate import CandidateRun, SchemaReport, TasksClient
from grader.checks import Statement
from grader.database import GradingDatabase
from grader.errors import CandidateError
from grader.sandbox.memory import MemoryUse

__all__ = ["ApiClient", "CandidateError", "CandidateRun", "GradingDatabase", "MemoryUse",
           "SchemaReport", "Statement", "StatementMark", "TasksClient", "json_of", "listed_json",
           "show"]


def show(response: httpx.Response) -> str:
    """A response in one short line, for a check's reason."""
    body = response.text.replace("\n", " ")
    return f"{response.status_code} {body[:160]}"


def json_of(response: httpx.Response, asked: str, status: int | None = None) -> object:
    """The JSON body of the answer to `asked` ("GET /users"), after checking its status when
    one is given; fails the check with a one-line reason otherwise."""
    if status is not None and response.status_code != status:
        pytest.fail(f"{asked}: expected {status}, got {show(response)}", pytrace=False)
    try:
        return response.json()
    except ValueError:
        pytest.fail(f"{asked} did not answer JSON: {show(response)}", pytrace=False)


def listed_json(api: httpx.Client, path: str, noun: str, **params: Any) -> list[Any]:
    """GET `path` with these query parameters: the JSON list it answered (of `noun`, for the
    reason), or the check fails with one line."""
    asked = f"GET {path}" + (f"?{httpx.QueryParams(params)}" if params else "")
    body = json_of(api.get(path, params=params), asked, status=200)
    if not isinstance(body, list):
        pytest.fail(f"{asked}: expected a JSON list of {noun}, got {str(body)[:160]}",
                    pytrace=False)
    return body
