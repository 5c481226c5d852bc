"""`kata questions ...` and `kata plan`: registered on the main app by cli.py.

Imported on every `kata` start, so only typer and the standard library are imported at module
level; pydantic, yaml, rich, jinja2 and the rest of the package load inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from grader.errors import UserError
    from question_bank.bank import Bank

T = TypeVar("T")


class LevelChoice(str, Enum):
    junior = "junior"
    mid = "mid"
    senior = "senior"


class AudienceChoice(str, Enum):
    candidate = "candidate"
    interviewer = "interviewer"


class ExportFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    anki = "anki"


class PlanFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
BankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bank",
        help="A user question bank (folder of YAML files) layered over the shipped one; "
        "repeatable. Default: the KATA_BANK variable (paths separated by ':').",
    ),
]
SectionOption = Annotated[
    str | None, typer.Option("--section", "-s", help="Only this section, e.g. python.")
]
LevelOption = Annotated[LevelChoice | None, typer.Option("--level", "-l", help="Only this level.")]
TagOption = Annotated[str | None, typer.Option("--tag", "-t", help="Only questions with this tag.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
]

questions_app = typer.Typer(
    name="questions",
    help="Browse, search, quiz yourself on and export the interview question bank.\n\n"
    "Examples: `kata questions list --section python`, `kata questions show gil-what-and-why`, "
    "`kata questions quiz -n 5 --due`.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


def _fail(error: UserError) -> NoReturn:
    typer.echo(f"error: {error.message}", err=True)
    raise typer.Exit(error.exit_code)


def _guard(action: Callable[[], T]) -> T:
    """Run a command body; a UserError becomes one `error:` line and its exit code."""
    from grader.errors import UserError

    try:
        return action()
    except UserError as error:
        _fail(error)


def _bank(bank: list[Path] | None) -> Bank:
    from question_bank.bank import load_bank

    return load_bank(bank)


def _print_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _emit(text: str, out: Path | None) -> None:
    from grader.errors import UserError

    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {out}: {error.strerror or error}") from error
    typer.echo(f"wrote {out}", err=True)


def _level(choice: LevelChoice | None):  # -> Level | None, typed loosely to stay import-light
    from question_bank.models import Level

    return Level(choice.value) if choice else None


@questions_app.command("list")
def list_questions(
    section: SectionOption = None,
    level: LevelOption = None,
    tag: TagOption = None,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """List questions as a table, optionally filtered.

    Example: `kata questions list --section database --level senior`
    """

    def body() -> None:
        from rich.console import Console

        from question_bank import views

        found = _bank(bank).filter(section, _level(level), tag)
        if as_json:
            _print_json([
                {k: v for k, v in q.to_dict("candidate").items() if k != "answer"} for q in found
            ])
        else:
            views.question_table(found, Console())

    _guard(body)


@questions_app.command("show")
def show_question(
    question_id: Annotated[str, typer.Argument(help="Question id, e.g. gil-what-and-why.")],
    audience: Annotated[
        AudienceChoice, typer.Option(help="`candidate` hides key points, rubric and hints.")
    ] = AudienceChoice.interviewer,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one question: the answer as Markdown, what a good answer shows, follow-ups.

    Example: `kata questions show n-plus-one-what --audience candidate`
    """

    def body() -> None:
        from rich.console import Console

        from question_bank import views

        question = _bank(bank).get(question_id)
        if as_json:
            _print_json(question.to_dict(audience.value))
        else:
            views.question_page(question, audience.value, Console())

    _guard(body)


@questions_app.command("search")
def search_questions(
    text: Annotated[str, typer.Argument(help="Words to look for; small typos are tolerated.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most results shown.")] = 10,
    section: SectionOption = None,
    level: LevelOption = None,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search questions, answers and tags, best match first.

    Example: `kata questions search "conection pool"`
    """

    def body() -> None:
        from rich.console import Console

        from question_bank import views
        from question_bank.search import search

        pool = _bank(bank).filter(section, _level(level))
        hits = search(pool, text, limit)
        if as_json:
            _print_json([
                {"rank": rank, "score": hit.score, "id": hit.question.id,
                 "section": hit.question.section, "level": hit.question.level.value,
                 "question": hit.question.question}
                for rank, hit in enumerate(hits, 1)
            ])
        else:
            views.hit_table(text, hits, Console())

    _guard(body)


@questions_app.command("quiz")
def quiz(
    section: SectionOption = None,
    level: LevelOption = None,
    tag: TagOption = None,
    count: Annotated[int, typer.Option("-n", "--count", min=1, help="Questions to ask.")] = 5,
    seed: Annotated[int | None, typer.Option(help="Seed for the draw; repeats a quiz.")] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Only questions due for review, worst-rated first.")
    ] = False,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Practise without saving your ratings.")
    ] = False,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Quiz yourself: reveal each answer with a key, rate yourself 1-4, see a summary.

    Ratings are saved by question id in $KATA_DATA_DIR or $XDG_DATA_HOME/katabench/progress.json.
    Example: `kata questions quiz --section python -n 3`, later `kata questions quiz --due`
    """

    def body() -> None:
        from rich.console import Console

        from question_bank.progress import ProgressStore
        from question_bank.quiz import default_reader, pick_questions, run_quiz

        pool = _bank(bank).filter(section, _level(level), tag)
        store = None if (no_record and not due) else ProgressStore.open()
        chosen = pick_questions(pool, count, seed=seed, due=due, store=store)
        console = Console(stderr=as_json)
        if not chosen:
            console.print("Nothing is due for review." if due else "No question matches.")
            if as_json:
                _print_json({"asked": 0, "total": 0, "ratings": {}, "skipped": [], "weak": []})
            return
        result = run_quiz(chosen, console, default_reader(console),
                          store=None if no_record else store)
        if as_json:
            _print_json(result.to_json())
        elif store is not None and not no_record and result.ratings:
            console.print(f"[dim]Progress saved to {store.path}[/]")

    _guard(body)


@questions_app.command("export")
def export_questions(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")]
    = ExportFormat.md,
    audience: Annotated[
        AudienceChoice,
        typer.Option(help="`candidate` leaves out key points, rubric and hints."),
    ] = AudienceChoice.candidate,
    section: SectionOption = None,
    level: LevelOption = None,
    tag: TagOption = None,
    out: OutOption = None,
    bank: BankOption = None,
) -> None:
    """Export the bank, or a filter of it, as Markdown, one HTML page, JSON or an Anki CSV.

    Examples: `kata questions export -f html -o bank.html`,
    `kata questions export -f anki --level junior -o junior.csv` (Anki: File > Import)
    """

    def body() -> None:
        from question_bank.export import export

        found = _bank(bank).filter(section, _level(level), tag)
        _emit(export(found, fmt.value, audience.value), out)

    _guard(body)


@questions_app.command("lint")
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to lint (default: the shipped and user banks)."),
    ] = None,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check question files: prints `file:line: problem`, exits 2 when there is any.

    Example: `kata questions lint --bank ~/my-questions`
    """

    def body() -> None:
        from rich.console import Console

        from question_bank import views
        from question_bank.bank import build_bank
        from question_bank.loader import DATA_DIR, bank_locations

        layers = list(paths) if paths else [DATA_DIR, *bank_locations(bank)]
        result = build_bank(layers)
        if as_json:
            _print_json({
                "ok": not result.problems,
                "files": len(result.files),
                "questions": len(result.located),
                "problems": [p.to_dict() for p in result.problems],
            })
        else:
            views.lint_report(result.problems, len(result.files), len(result.located),
                              Console(soft_wrap=True))
        if result.problems:
            raise typer.Exit(2)

    _guard(body)


def plan(
    level: Annotated[LevelChoice, typer.Option("--level", "-l", help="Candidate's level.")]
    = LevelChoice.mid,
    minutes: Annotated[
        int | None,
        typer.Option("--minutes", "-m", min=1,
                     help="Total length; default: the middle of what the timing allows."),
    ] = None,
    kata_id: Annotated[
        str | None, typer.Option("--kata", help="Add this kata's livecoding parts.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the question draw.")] = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")]
    = PlanFormat.md,
    out: OutOption = None,
    bank: BankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build an interview plan with timings, questions and a scorecard.

    Seed 003's timing: introduction 10-15 min, each technical section 5-7, advanced 10-15,
    5 for the candidate's questions; `--kata` adds the livecoding parts.
    Examples: `kata plan --level junior --minutes 60`,
    `kata plan --level mid --kata shop-api --format html -o plan.html`
    """

    def body() -> None:
        from question_bank.plan import plan_for_kata
        from question_bank.plan_render import RENDERERS

        built = plan_for_kata(_bank(bank).questions, level=_level(level), minutes=minutes,
                              kata_id=kata_id, seed=seed)
        _emit(RENDERERS["json" if as_json else fmt.value](built), out)

    _guard(body)


def register(app: typer.Typer) -> None:
    """Attach the question-bank commands to the main `kata` app."""
    app.add_typer(questions_app, name="questions")
    app.command("plan")(plan)
