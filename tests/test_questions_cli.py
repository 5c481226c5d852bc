"""The thin CLI layer: list, show, errors without tracebacks, and a light import."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

import cli

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def test_list_table_and_json_filters() -> None:
    table = runner.invoke(cli.app, ["questions", "list", "--section", "workspace"])
    assert table.exit_code == 0, table.output
    assert "git-merge-conflict" in table.output and "gil-what-and-why" not in table.output

    result = runner.invoke(cli.app, ["questions", "list", "--level", "senior", "--tag", "gil",
                                     "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {row["id"] for row in rows} == {"gil-what-and-why", "gil-workarounds"}
    assert all("rubric" not in row and "answer" not in row for row in rows)


def test_show_interviewer_and_candidate() -> None:
    full = runner.invoke(cli.app, ["questions", "show", "decorator-basics"])
    assert full.exit_code == 0, full.output
    for text in ("What a good answer shows", "functools.wraps", "Follow-ups", "strong"):
        assert text in full.output
    candidate = runner.invoke(cli.app, ["questions", "show", "decorator-basics",
                                        "--audience", "candidate"])
    assert "What a good answer shows" not in candidate.output
    data = json.loads(runner.invoke(cli.app, ["questions", "show", "decorator-basics",
                                              "--audience", "candidate", "--json"]).stdout)
    assert data["id"] == "decorator-basics" and "key_points" not in data


def test_show_mentions_the_kata() -> None:
    result = runner.invoke(cli.app, ["questions", "show", "stock-race-condition"])
    assert "kata show shop-api" in result.output


def test_unknown_id_suggests_close_ids() -> None:
    result = runner.invoke(cli.app, ["questions", "show", "list-vs-tupel"])
    assert result.exit_code == 2
    assert result.output == (
        "error: no question with id 'list-vs-tupel'; did you mean list-vs-tuple?\n")


def test_bad_section_and_level_are_refused() -> None:
    result = runner.invoke(cli.app, ["questions", "list", "--section", "cooking"])
    assert result.exit_code == 2 and result.output.startswith("error: unknown section")
    result = runner.invoke(cli.app, ["questions", "list", "--level", "guru"])
    assert result.exit_code == 2 and "guru" in result.output


def test_help_is_cheap_to_import_and_lists_the_commands() -> None:
    # Only typer and the standard library may load when `kata` starts.
    script = textwrap.dedent("""
        import sys
        import cli
        heavy = [m for m in ("pydantic", "yaml", "rich", "jinja2", "question_bank.bank")
                 if m in sys.modules]
        print("heavy:", heavy)
        sys.argv = ["kata", "questions", "--help"]
        cli.main()
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "heavy: []" in result.stdout
    for command in ("list", "show", "search", "quiz", "export", "lint"):
        assert command in result.stdout
