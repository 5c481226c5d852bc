"""Rich terminal views for the question commands (tables, a question page, lint output)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from question_bank.loader import Problem
from question_bank.models import Audience, Question
from question_bank.search import Hit


def question_table(questions: list[Question], console: Console) -> None:
    """Grouped by section (a header row each) so the question text keeps the width."""
    table = Table(title=f"{len(questions)} questions")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("level", no_wrap=True)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("question", overflow="fold", ratio=1)
    section = None
    for q in questions:
        if q.section != section:
            if section is not None:
                table.add_section()
            section = q.section
            table.add_row(f"[bold]{section}[/]", "", "", "")
        table.add_row(q.id, f"{q.level.value} {q.difficulty}", str(q.minutes), q.question)
    console.print(table)


def hit_table(query: str, hits: list[Hit], console: Console) -> None:
    if not hits:
        console.print(f"No question matches {query!r}.")
        return
    table = Table(title=f"Search: {query}")
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("section", no_wrap=True)
    table.add_column("question", overflow="fold", ratio=1)
    for rank, hit in enumerate(hits, 1):
        q = hit.question
        table.add_row(str(rank), f"{hit.score:.2f}", q.id, q.section, q.question)
    console.print(table)


def question_page(q: Question, audience: Audience, console: Console) -> None:
    meta = (f"[cyan]{q.id}[/] · {q.section} · {q.level.value} · difficulty {q.difficulty}/5 · "
            f"{q.kind.value} · {q.minutes} min · tags: {', '.join(q.tags)}")
    console.print(Panel(q.question, title="Question", title_align="left"))
    console.print(meta, highlight=False)
    console.print(f"[bold green]In short:[/] {q.short_answer}", highlight=False)
    console.print(Markdown(q.answer, code_theme="monokai"))
    if audience == "interviewer":
        points = "\n".join(f"• {p}" for p in q.key_points)
        rubric = (f"[green]strong[/]: {q.rubric.strong}\n[yellow]adequate[/]: "
                  f"{q.rubric.adequate}\n[red]weak[/]: {q.rubric.weak}")
        body = [points, "", rubric]
        if q.hints:
            body += ["", "[bold]Hints, in order:[/]"]
            body += [f"{i}. {h}" for i, h in enumerate(q.hints, 1)]
        console.print(Panel(Group(*body), title="What a good answer shows", border_style="yellow"))
    if q.follow_ups:
        console.print("[bold]Follow-ups:[/]")
        for f in q.follow_ups:
            console.print(f"  • {f}", highlight=False)
    if q.kata:
        console.print(f"Exercised by the kata [cyan]{q.kata}[/] (`kata show {q.kata}`).")


def lint_report(problems: list[Problem], files: int, questions: int, console: Console) -> None:
    for problem in problems:
        console.print(str(problem), markup=False, highlight=False)
    if problems:
        console.print(f"{len(problems)} problem(s) in {files} file(s).", style="red")
    else:
        console.print(f"ok: {questions} questions in {files} file(s).", style="green")
