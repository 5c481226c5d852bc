"""Exports of the bank (or a filter of it): Markdown, JSON, one self-contained HTML page, and
an Anki CSV. The candidate audience never sees key points, rubric or hints.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from question_bank.models import Audience, Question
from question_bank.sections import SECTIONS

TEMPLATES = Path(__file__).resolve().parent / "templates"
ANKI_HEADER = (
    "#separator:Comma",
    "#html:true",
    "#notetype:Basic",
    "#deck:katabench",
    "#guid column:1",
    "#tags column:4",
)


def grouped(questions: list[Question]) -> list[tuple[str, str, list[Question]]]:
    """(section id, title, questions) in interview order, empty sections left out."""
    return [
        (s.id, f"{s.number}. {s.title}", [q for q in questions if q.section == s.id])
        for s in SECTIONS
        if any(q.section == s.id for q in questions)
    ]


def to_json(questions: list[Question], audience: Audience) -> str:
    data = {
        "format": "katabench-questions",
        "version": 1,
        "audience": audience,
        "count": len(questions),
        "questions": [q.to_dict(audience) for q in questions],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _meta(q: Question) -> str:
    return (f"`{q.id}` · {q.level.value} · difficulty {q.difficulty}/5 · {q.kind.value} · "
            f"{q.minutes} min · tags: {', '.join(q.tags)}")


def question_markdown(q: Question, audience: Audience, heading: str = "###") -> str:
    out = [f"{heading} {q.question}", "", _meta(q), "", f"**In short:** {q.short_answer}", "",
           q.answer.strip(), ""]
    if audience == "interviewer":
        out += ["**What a good answer shows:**", ""]
        out += [f"- {point}" for point in q.key_points]
        out += ["", "**Rubric:**", "", f"- *Strong:* {q.rubric.strong}",
                f"- *Adequate:* {q.rubric.adequate}", f"- *Weak:* {q.rubric.weak}", ""]
        if q.hints:
            out += ["**Hints, in order:**", ""]
            out += [f"{i}. {hint}" for i, hint in enumerate(q.hints, 1)]
            out.append("")
    if q.follow_ups:
        out += ["**Follow-ups:**", ""]
        out += [f"- {f}" for f in q.follow_ups]
        out.append("")
    return "\n".join(out)


def to_markdown(questions: list[Question], audience: Audience) -> str:
    out = [f"# katabench question bank ({audience})", "",
           f"{len(questions)} questions.", ""]
    for _sid, title, items in grouped(questions):
        out += [f"## {title}", ""]
        out += [question_markdown(q, audience) for q in items]
    return "\n".join(out).rstrip() + "\n"


def anki_back(q: Question, audience: Audience) -> str:
    from question_bank.markdown_html import to_html

    parts = [f"<p><b>{_esc(q.short_answer)}</b></p>", to_html(q.answer)]
    if audience == "interviewer":
        parts.append("<p><b>Key points</b></p><ul>"
                     + "".join(f"<li>{_esc(p)}</li>" for p in q.key_points) + "</ul>")
    if q.follow_ups:
        parts.append("<p><b>Follow-ups</b></p><ul>"
                     + "".join(f"<li>{_esc(f)}</li>" for f in q.follow_ups) + "</ul>")
    return "".join(parts)


def _esc(text: str) -> str:
    """Inline Markdown to HTML; markdown-it escapes any raw HTML in the text."""
    from question_bank.markdown_html import inline_html

    return inline_html(text)


def to_anki(questions: list[Question], audience: Audience) -> str:
    """CSV with Anki's file headers; the id is the note GUID so re-imports update notes."""
    buffer = io.StringIO()
    buffer.write("\n".join(ANKI_HEADER) + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    for q in questions:
        tags = [f"katabench::{q.section}", f"level::{q.level.value}", *q.tags]
        writer.writerow([f"katabench-{q.id}", _esc(q.question), anki_back(q, audience),
                         " ".join(tags)])
    return buffer.getvalue()


def search_text(q: Question, audience: Audience) -> str:
    """What the HTML page's search box matches against, lower-cased once here."""
    parts = [q.id, q.section, q.level.value, q.kind.value, q.question, q.short_answer,
             q.answer, " ".join(q.tags), " ".join(q.follow_ups)]
    if audience == "interviewer":
        parts += q.key_points
    return " ".join(parts).lower()


def to_html(questions: list[Question], audience: Audience) -> str:
    template = html_environment().get_template("bank.html.j2")
    return template.render(
        groups=grouped(questions), audience=audience, total=len(questions),
        search_text=lambda q: search_text(q, audience),
    )


def html_environment() -> Any:
    """Jinja with autoescaping on and a `markdown` filter producing safe, highlighted HTML."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    from question_bank.markdown_html import inline_html
    from question_bank.markdown_html import to_html as markdown

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]))
    env.filters["markdown"] = lambda text: Markup(markdown(text))
    env.filters["inline"] = lambda text: Markup(inline_html(text))
    return env


EXPORTERS: dict[str, Callable[[list[Question], Audience], str]] = {
    "md": to_markdown,
    "json": to_json,
    "html": to_html,
    "anki": to_anki,
}


def export(questions: list[Question], fmt: str, audience: Audience) -> str:
    return EXPORTERS[fmt](questions, audience)
