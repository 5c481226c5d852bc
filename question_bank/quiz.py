"""A self-quiz: one question at a time, reveal on a key, rate yourself, summary at the end.

Input and output are injected (a key reader and a rich Console) so tests drive a whole
session from a string; on a terminal the reader takes single key presses.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel

from question_bank.models import Question
from question_bank.progress import RATINGS, ProgressStore

KeyReader = Callable[[str], str]  # prompt -> the key (or line) typed, "" on Enter; EOFError at end


def stream_reader(stream: TextIO, console: Console) -> KeyReader:
    """Reads one line per answer: for pipes, tests and CliRunner."""

    def read(prompt: str) -> str:
        console.print(prompt, end=" ", markup=True, highlight=False)
        line = stream.readline()
        if not line:
            raise EOFError
        console.print()
        return line.strip().lower()

    return read


def terminal_reader(console: Console) -> KeyReader:
    """Reads single key presses from a real terminal."""
    import click

    def read(prompt: str) -> str:
        console.print(prompt, end=" ", highlight=False)
        key = click.getchar()
        console.print()
        if key in ("\x03", "\x04"):
            raise EOFError
        return "" if key in ("\r", "\n") else key.lower()

    return read


def default_reader(console: Console) -> KeyReader:
    if sys.stdin.isatty():
        return terminal_reader(console)
    return stream_reader(sys.stdin, console)


@dataclass
class QuizResult:
    ratings: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    total: int = 0
    stopped_early: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "asked": len(self.ratings) + len(self.skipped),
            "total": self.total,
            "ratings": self.ratings,
            "skipped": self.skipped,
            "stopped_early": self.stopped_early,
            "weak": [qid for qid, rating in self.ratings.items() if rating <= 2],
        }


def pick_questions(
    questions: list[Question],
    count: int,
    seed: int | None = None,
    due: bool = False,
    store: ProgressStore | None = None,
    now: datetime | None = None,
) -> list[Question]:
    """A random draw, or with `due` the reviewed questions that are due, worst first."""
    if due:
        if store is None:
            return []
        by_id = {q.id: q for q in questions}
        return [by_id[qid] for qid in store.due_ids(list(by_id), now)][:count]
    chosen = list(questions)
    random.Random(seed).shuffle(chosen)
    return chosen[:count]


def run_quiz(
    questions: list[Question],
    console: Console,
    read: KeyReader,
    store: ProgressStore | None = None,
    now: datetime | None = None,
) -> QuizResult:
    result = QuizResult(total=len(questions))
    rate_prompt = "Rate yourself: " + " · ".join(f"[bold]{k}[/] {v}" for k, v in RATINGS.items())
    try:
        for index, question in enumerate(questions, 1):
            console.rule(f"{index}/{len(questions)} · {question.section} · {question.level.value}"
                         f" · {question.id}")
            console.print(Panel(question.question, title="Question", expand=False))
            key = read("[dim]Enter: reveal the answer · s: skip · q: quit[/]")
            if key == "q":
                result.stopped_early = True
                break
            if key == "s":
                result.skipped.append(question.id)
                continue
            console.print(f"[bold green]In short:[/] {question.short_answer}", highlight=False)
            console.print(Markdown(question.answer))
            if question.follow_ups:
                console.print("[bold]Follow-ups to think about:[/]")
                for follow_up in question.follow_ups:
                    console.print(f"  • {follow_up}", highlight=False)
            rating = _ask_rating(read, rate_prompt)
            if rating is None:
                result.stopped_early = True
                break
            result.ratings[question.id] = rating
            if store is not None:
                store.rate(question.id, rating, now)
    except EOFError:
        result.stopped_early = len(result.ratings) + len(result.skipped) < len(questions)
    finally:
        if store is not None and result.ratings:
            store.save()
    print_summary(console, result)
    return result


def _ask_rating(read: KeyReader, prompt: str) -> int | None:
    while True:
        key = read(prompt + " · [bold]q[/] quit")
        if key == "q":
            return None
        if key.isdigit() and int(key) in RATINGS:
            return int(key)


def print_summary(console: Console, result: QuizResult) -> None:
    from rich.table import Table

    console.rule("Session summary")
    if not result.ratings:
        console.print("No question rated.")
        return
    table = Table(show_header=True)
    table.add_column("rating")
    table.add_column("questions", justify="right")
    for value, name in RATINGS.items():
        table.add_row(f"{value} {name}", str(sum(1 for r in result.ratings.values() if r == value)))
    console.print(table)
    average = sum(result.ratings.values()) / len(result.ratings)
    console.print(f"Rated {len(result.ratings)} of {result.total}; average {average:.1f} / 4.")
    weak = result.to_json()["weak"]
    if weak:
        console.print("To practise again (`kata questions quiz --due`): " + ", ".join(weak),
                      highlight=False)
