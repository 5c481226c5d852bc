"""`kata start` renders the declared templates; a solution is an overlay on the starter."""

from __future__ import annotations

import json

import pytest

from grader.errors import UserError
from grader.scaffold import start_workspace, write_solution
from grader.workspace import MARKER, resolve_workspace


def test_start_renders_the_statement_and_marks_the_workspace(tmp_path):
    workspace = start_workspace("shop-api", tmp_path / "ws")
    readme = (workspace.path / "README.md").read_text()
    for part in ("Debugging", "Backend setup", "15-20", "GET /products", "POST /orders"):
        assert part in readme
    assert not list(workspace.path.rglob("*.jinja")), "templates must be rendered"
    marker = json.loads((workspace.path / MARKER).read_text())
    assert marker["kata_id"] == "shop-api" and marker["layout"] == "scaffold"
    assert "asyncpg" not in (workspace.path / "requirements.txt").read_text()


def test_postgres_flavour(tmp_path):
    workspace = start_workspace("shop-api", tmp_path / "ws", db="postgres")
    assert "asyncpg" in (workspace.path / "requirements.txt").read_text()
    assert (workspace.path / "docker-compose.yml").is_file()


def test_solution_overlays_the_starter(tmp_path):
    starter = start_workspace("shop-api", tmp_path / "s").path
    solved = write_solution("shop-api", tmp_path / "r").path
    assert (solved / "README.md").read_text() == (starter / "README.md").read_text()
    assert "class Category" in (solved / "app" / "models.py").read_text()
    assert "class Category" not in (starter / "app" / "models.py").read_text()


def test_a_workspace_that_lost_a_file_keeps_its_layout(tmp_path):
    workspace = start_workspace("shop-api", tmp_path / "ws").path
    (workspace / "tasks.py").unlink()
    assert resolve_workspace(workspace)[1].layout == "scaffold"


def test_start_never_overwrites(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "mine.py").write_text("x = 1")
    with pytest.raises(UserError, match="not empty"):
        start_workspace("shop-api", tmp_path / "ws")
