"""Exports parse: JSON loads, the Anki CSV has its header lines and imports as CSV, Markdown
keeps the audience rule, and the HTML page renders in headless Chromium with a working
search box and no network access."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from browser import browser_page, page_fixture
from typer.testing import CliRunner

import cli
from question_bank.bank import load_bank
from question_bank.export import ANKI_HEADER, export, search_text

runner = CliRunner()
page = page_fixture(scope="module")


@pytest.fixture(scope="module")
def questions():
    return load_bank([]).questions


def export_cli(*args: str) -> str:
    result = runner.invoke(cli.app, ["questions", "export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_export_loads_and_respects_audience(questions) -> None:
    candidate = json.loads(export_cli("--format", "json"))
    assert candidate["audience"] == "candidate"
    assert candidate["count"] == len(questions) == len(candidate["questions"])
    assert all({"key_points", "rubric", "hints"}.isdisjoint(q) for q in candidate["questions"])
    interviewer = json.loads(export_cli("-f", "json", "--audience", "interviewer"))
    first = interviewer["questions"][0]
    assert first["rubric"]["strong"] and first["key_points"] and "hints" in first


def test_json_export_filters(questions) -> None:
    data = json.loads(export_cli("-f", "json", "--section", "database", "--level", "senior"))
    assert data["count"] > 0
    assert {(q["section"], q["level"]) for q in data["questions"]} == {("database", "senior")}


def test_anki_csv_has_headers_and_parses(questions) -> None:
    text = export_cli("-f", "anki", "--tag", "docker")
    lines = text.splitlines()
    assert lines[: len(ANKI_HEADER)] == list(ANKI_HEADER)
    assert "#separator:Comma" in lines and "#tags column:4" in lines
    body = "\n".join(line for line in text.split("\n")[len(ANKI_HEADER):])
    rows = list(csv.reader(io.StringIO(body)))
    docker = [q for q in questions if "docker" in q.tags]
    assert len(rows) == len(docker)
    assert all(len(row) == 4 for row in rows)
    guid, front, back, tags = rows[0]
    assert guid == f"katabench-{docker[0].id}"
    assert "<pre" in "".join(r[2] for r in rows)  # code blocks survive as HTML
    assert "docker" in tags.split() and "katabench::workspace" in tags.split()
    assert docker[0].rubric.strong not in back  # candidate audience by default


def test_markdown_export_groups_sections(questions) -> None:
    text = export_cli("-f", "md", "--audience", "interviewer")
    assert text.startswith("# katabench question bank (interviewer)")
    assert text.index("## 0. Introduction") < text.index("## 1. Python") < text.index(
        "## 6. Problem solving")
    assert "**Rubric:**" in text
    assert "**Rubric:**" not in export(questions, "md", "candidate")


def test_export_to_file_and_bad_path(tmp_path: Path) -> None:
    out = tmp_path / "bank.html"
    result = runner.invoke(cli.app, ["questions", "export", "-f", "html", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    blocked = tmp_path / "file"
    blocked.write_text("")
    result = runner.invoke(cli.app, ["questions", "export", "-o", str(blocked / "x.md")])
    assert result.exit_code == 2 and result.output.startswith("error: cannot write")


def test_html_escapes_question_text(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "x.yaml").write_text(
        "- id: xss\n  section: python\n  question: 'Is <script>alert(1)</script> escaped?'\n"
        "  short_answer: Yes.\n  answer: 'Raw <b>html</b> is not rendered.'\n"
        "  key_points: [k]\n  rubric: {strong: s, adequate: a, weak: w}\n  hints: []\n"
        "  follow_ups: []\n  level: junior\n  difficulty: 1\n  kind: theory\n  tags: [x]\n"
        "  minutes: 1\n  source: own\n"
    )
    html = export_cli("-f", "html", "--bank", str(bank), "--tag", "x")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>html</b>" not in html


def _visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("article.q:not([hidden])", "els => els.map(e => e.id)")


def test_html_page_search_box_filters_in_chromium(page, questions, tmp_path: Path) -> None:
    path = tmp_path / "bank.html"
    path.write_text(export(questions, "html", "candidate"), encoding="utf-8")
    page.goto(path.as_uri())
    total = len(questions)
    assert page.inner_text("#count") == f"{total} of {total} questions"
    assert len(_visible_ids(page)) == total
    assert page.locator(".interviewer").count() == 0  # candidate edition

    page.fill("#search", "GIL")
    expected = [f"q-{q.id}" for q in questions if "gil" in search_text(q, "candidate")]
    assert 0 < len(expected) < total
    assert _visible_ids(page) == expected
    assert page.inner_text("#count") == f"{len(expected)} of {total} questions"
    assert "q-gil-what-and-why" in expected and page.is_visible("#q-gil-what-and-why")
    assert not page.is_visible("#q-list-vs-tuple")
    matched_sections = {q.section for q in questions if f"q-{q.id}" in expected}
    for section in {q.section for q in questions}:  # a section with no match hides entirely
        assert page.is_visible(f"#section-{section}") == (section in matched_sections)
    assert len(matched_sections) < len({q.section for q in questions})

    page.fill("#search", "markers conflict")  # every word must match, in any order
    both = [f"q-{q.id}" for q in questions
            if all(word in search_text(q, "candidate") for word in ("markers", "conflict"))]
    assert _visible_ids(page) == both
    assert "q-git-merge-conflict" in both and "q-git-branch" not in both

    page.fill("#search", "zzzz-nothing")
    assert _visible_ids(page) == [] and page.is_visible("#nothing")

    page.fill("#search", "")
    assert len(_visible_ids(page)) == total
    assert page.blocked_urls == []  # self-contained: nothing fetched from the network
    assert page.console_errors == []


def test_html_answer_renders_highlighted_code(page, questions, tmp_path: Path) -> None:
    path = tmp_path / "interviewer.html"
    path.write_text(export(questions, "html", "interviewer"), encoding="utf-8")
    page.goto(path.as_uri())
    article = page.locator("#q-decorator-basics")
    article.locator("summary").click()
    code = article.locator("pre.code code")
    assert "functools.wraps" in code.inner_text()
    assert code.locator("span[style]").count() > 5  # inline-styled highlighting
    assert article.locator(".interviewer").is_visible()


def test_plan_html_renders_with_scorecard(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    result = runner.invoke(cli.app, ["plan", "--kata", "shop-api", "--minutes", "120",
                                     "-f", "html", "-o", str(path)])
    assert result.exit_code == 0, result.output
    with browser_page() as plan_page:
        plan_page.goto(path.as_uri())
        minutes = plan_page.eval_on_selector_all(
            "#timeline tbody tr td:nth-child(2)", "els => els.map(e => Number(e.textContent))")
        assert sum(minutes) == 120 == int(plan_page.inner_text("#total"))
        plan_page.check("input[name=overall][value='hire']")
        assert plan_page.is_checked("input[name=overall][value='hire']")
        assert plan_page.locator("input[name='rating-testing']").count() == 4
        assert plan_page.blocked_urls == []
