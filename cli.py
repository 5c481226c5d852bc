"""`kata`: the command line. A thin layer: parse options, call the packages, print, exit.

Heavy libraries (pydantic, pytest, httpx, fastapi, sqlalchemy, jinja2) are imported inside the
commands that need them, so `kata --help` and completion stay fast.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from grader.errors import EXIT_BELOW_MIN_SCORE, UserError
from question_bank.cli import BankOption, LevelChoice

if TYPE_CHECKING:
    import socket

    from grader.sandbox.client import ForkServer

app = typer.Typer(
    name="kata",
    help=(
        "Interview kata workbench and grader.\n\n"
        "Candidates: `kata start shop-api ./ws`, then `kata check ./ws`.\n"
        "Interviewers: `kata grade submissions/*.zip --out reports`.\n"
        "Trainers: `kata questions list`, `kata plan --minutes 60`, `kata selftest shop-api`."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Database(str, Enum):
    sqlite = "sqlite"
    postgres = "postgres"


class Isolation(str, Enum):
    full = "full"
    minimal = "minimal"


JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
SeedOption = Annotated[
    int | None, typer.Option(help="Seed for the randomized hidden data; reproduces a run.")
]
DbOption = Annotated[
    Database | None,
    typer.Option("--db", help="Database to grade on (default sqlite, or what the layout needs)."),
]
DbUrlOption = Annotated[
    str | None,
    typer.Option(
        "--db-url",
        help="An existing PostgreSQL server (postgresql://user@host/db); a fresh database is "
        "created and dropped per submission.",
    ),
]
IsolationOption = Annotated[
    Isolation,
    typer.Option(help="`full` sandbox, or `minimal` (child processes only) for trusted practice."),
]
TimeoutOption = Annotated[
    float | None, typer.Option(help="Wall-clock limit per submission, in seconds "
                               "[default: the kata's, 60 s unless its kata.yaml says]", min=1)
]
MinScoreOption = Annotated[
    float | None, typer.Option(help="Exit with code 1 when a score is below this.")
]


def _print_error(error: UserError) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(error.message)}",
                                              highlight=False)


def _fail(error: UserError) -> NoReturn:
    _print_error(error)
    raise typer.Exit(error.exit_code)


def _print_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.command("list")
def list_katas(as_json: JsonOption = False) -> None:
    """List the katas with their level and planned minutes.

    Example: `kata list --json`
    """
    from grader import views
    from grader.kata import load_all_katas

    try:
        katas = load_all_katas()
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json([kata.summary_dict() for kata in katas])
    else:
        views.print_kata_list(katas)


@app.command()
def show(kata_id: Annotated[str, typer.Argument(help="Kata id, e.g. shop-api.")],
         as_json: JsonOption = False) -> None:
    """Show a kata: statement, parts with timings, checklist with points.

    Example: `kata show shop-api`
    """
    from grader import views
    from grader.kata import load_kata

    try:
        kata = load_kata(kata_id)
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json(kata.model_dump(mode="json"))
    else:
        views.print_kata(kata)


@app.command()
def start(
    kata_id: Annotated[str, typer.Argument(help="Kata id, e.g. shop-api.")],
    directory: Annotated[Path | None, typer.Argument(help="Where to create it (default ./<id>).")]
    = None,
    db: Annotated[Database, typer.Option(help="Database the workspace is set up for.")]
    = Database.sqlite,
    force: Annotated[bool, typer.Option(help="Write into a non-empty directory.")] = False,
    hints: Annotated[bool, typer.Option(
        "--hints/--no-hints", help="Whether `kata hint` gives hints in this workspace.")] = True,
) -> None:
    """Scaffold a candidate workspace and start the clock.

    Example: `kata start shop-api ./ws`, then `cd ws` and read README.md.
    """
    from grader import views
    from grader.scaffold import start_workspace

    try:
        workspace = start_workspace(kata_id, directory, db=db.value, force=force, hints=hints)
    except UserError as error:
        _fail(error)
    views.print_started(workspace)


@app.command()
def solution(
    args: Annotated[list[str] | None, typer.Argument(
        metavar="KATA DIR | [WS]",
        help="Trainers: the kata and where to write its reference. With --item: your "
        "workspace (default .).")] = None,
    item: Annotated[str | None, typer.Option(
        "--item", metavar="ITEM", help="Candidates: an item your last check earned; shows the "
        "reference's code for it beside yours.")] = None,
    force: Annotated[bool, typer.Option(help="Write into a non-empty directory.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Trainers: write the reference solution as a complete workspace. Candidates (--item):
    once your last check earned an item, see the reference's code for it beside yours, as a diff.

    Examples: `kata solution shop-api ./ref && kata check ./ref`,
    `kata solution --item backend.stock ./ws`
    """
    from grader import views

    given = args or []
    try:
        if item is not None:
            if len(given) > 1:
                raise UserError("with --item, give only your workspace: kata solution --item "
                                f"{item} [WS]")
            from grader.reveal import item_solution

            shown = item_solution(Path(given[0] if given else "."), item)
        elif len(given) != 2:
            raise UserError("say which kata and where to write its reference: kata solution "
                            "KATA DIR (candidates: kata solution --item ITEM [WS])")
        else:
            from grader.scaffold import write_solution

            written = write_solution(given[0], Path(given[1]), force=force)
    except UserError as error:
        _fail(error)
    if item is None:
        if as_json:
            _print_json({"kata": written.kata_id, "path": str(written.path)})
        else:
            views.print_started(written, solution=True)
    elif as_json:
        _print_json(shown.to_json())
    else:
        views.print_item_solution(shown)


@app.command()
def check(
    workspace: Annotated[Path, typer.Argument(help="The workspace to check.")] = Path("."),
    seed: SeedOption = None,
    as_json: JsonOption = False,
    min_score: MinScoreOption = None,
    timeout: TimeoutOption = None,
    isolation: IsolationOption = Isolation.full,
    db: DbOption = None,
    db_url: DbUrlOption = None,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Check again after every save in the workspace, saying what changed, "
        "until Ctrl-C (exit 0); with --json, one scorecard per line.")] = False,
) -> None:
    """Run the hidden checks on your workspace and show the scored checklist.

    Examples: `kata check ./ws --seed 7`, `kata check ./ws --watch`
    """
    from grader.options import GradeOptions
    from grader.warm_check import grade_preferring_warm

    options = GradeOptions(
        seed=seed, timeout=timeout, isolation=isolation.value,
        db=db.value if db else None, db_url=db_url,
    )
    warm_ok = db is not Database.postgres and db_url is None  # PostgreSQL: graded here
    if watch:
        if min_score is not None:
            _fail(UserError("--min-score does not go with --watch, which ends with Ctrl-C"))
        from grader.watch import watch_workspace

        try:
            watch_workspace(workspace, options, connection=_early_grader, host=_early_host,
                            warm=warm_ok, as_json=as_json, report=_print_error)
        except UserError as error:
            _fail(error)
        return
    try:
        card = grade_preferring_warm(_early_grader if warm_ok else None, workspace, options,
                                     host=_early_host, progress=not as_json)
    except UserError as error:
        _fail(error)
    from grader.progress import record_check

    with contextlib.suppress(OSError):  # a read-only workspace still gets its checklist
        record_check(workspace, card)
    if as_json:
        _print_json(card.to_json())
    else:
        from grader import views  # rich: only for the terminal view

        views.print_scorecard(card, show_plan=True)
    if min_score is not None and card.score < min_score:
        raise typer.Exit(EXIT_BELOW_MIN_SCORE)


@app.command()
def grade(
    submissions: Annotated[
        list[str], typer.Argument(help="Workspaces, .zip or .tar.gz archives, or globs.")
    ],
    kata_id: Annotated[
        str | None, typer.Option("--kata", help="Kata id, if a submission does not say it.")
    ] = None,
    seed: SeedOption = None,
    as_json: JsonOption = False,
    min_score: MinScoreOption = None,
    jobs: Annotated[int | None, typer.Option(help="Submissions graded at once.", min=1)] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for scorecards and the summary.")]
    = None,
    formats: Annotated[
        str, typer.Option("--format", help="Report formats in --out: json,junit,md,html,csv; "
                          "github: the job summary and error annotations in GitHub Actions.")
    ] = "json,md,html",
    resume: Annotated[
        bool, typer.Option(help="Skip submissions whose content already has a scorecard in --out.")
    ] = False,
    shard: Annotated[
        str | None, typer.Option(help="Grade only shard K of N (K/N, from 1), split by content "
                                 "hash; `kata report merge` joins the shards' --out folders.")
    ] = None,
    timeout: TimeoutOption = None,
    isolation: IsolationOption = Isolation.full,
    db: DbOption = None,
    db_url: DbUrlOption = None,
    sessions: Annotated[
        list[Path] | None, typer.Option("--session", help="A `kata interview` session file to "
                                        "join with the checks' scorecard; once per interviewer.")
    ] = None,
) -> None:
    """Grade one or many submissions in parallel; print scorecards, write reports.

    Examples: `kata grade ./ws --json`, `kata grade ./ws --session ann.json --session bo.json`,
    `kata grade 'inbox/*.zip' --kata shop-api --jobs 2 --out reports --format json,junit,html`,
    `kata grade 'inbox/*' --kata shop-api --seed 7 --shard 2/3 --out shard-2`
    """
    from grader import views
    from grader.batch import BatchOptions, grade_batch
    from grader.options import GradeOptions
    from grader.sharding import Shard

    options = GradeOptions(
        seed=seed, timeout=timeout, isolation=isolation.value, kata_id=kata_id,
        db=db.value if db else None, db_url=db_url,
    )
    try:
        batch = BatchOptions(jobs=jobs, out=out, formats=formats, resume=resume,
                             shard=Shard.parse(shard) if shard is not None else None,
                             as_json=as_json, sessions=tuple(sessions or ()))
        cards = grade_batch(submissions, options, batch, progress=not as_json)
    except UserError as error:
        _fail(error)
    if as_json:
        data = [card.to_json() for card in cards]
        _print_json(data[0] if len(data) == 1 else data)
    else:
        views.print_batch(cards)
    if min_score is not None and any(card.score < min_score for card in cards):
        raise typer.Exit(EXIT_BELOW_MIN_SCORE)


report_app = typer.Typer(name="report", no_args_is_help=True,
                         help="Work on report folders that `kata grade --out` wrote.")
app.add_typer(report_app)


@report_app.command("merge")
def report_merge(
    folders: Annotated[list[Path], typer.Argument(
        help="The --out folders of every shard of one batch (kata grade --shard K/N).")],
    out: Annotated[Path, typer.Option(help="Folder for the merged reports.")],
    as_json: JsonOption = False,
) -> None:
    """Join the shards' reports into one batch's: scorecards and one summary, in every format
    the shards wrote. Refuses a shard missing or twice, and shards of other katas or seeds.

    Example: `kata report merge shard-1 shard-2 shard-3 --out reports`
    """
    from grader.reports.merge import merge_reports

    try:
        merged = merge_reports(folders, out)
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json(merged.to_json())
    else:
        sys.stdout.write(f"merged {merged.shards} shards, {len(merged.cards)} submissions, "
                         f"into {out}\n")


@app.command()
def selftest(
    kata_id: Annotated[str, typer.Argument(help="Kata id, e.g. shop-api.")],
    seeds: Annotated[int, typer.Option(help="How many random seeds to try.", min=1)] = 2,
    mutants: Annotated[bool, typer.Option(
        "--mutants", help="Also grade one-clause mutants of the reference: each must cost "
        "the item whose code it breaks, and only that one.")] = False,
    jobs: Annotated[int | None, typer.Option(help="Mutants graded at once.", min=1)] = None,
    sample: Annotated[int | None, typer.Option(
        help="Grade only this many mutants, picked by the seed (a bounded run).", min=1)] = None,
    item: Annotated[list[str] | None, typer.Option(
        "--item", help="Only the mutants of this item; repeat for several.")] = None,
    seed: SeedOption = None,
    report: Annotated[Path | None, typer.Option(
        help="Write the mutation report to this .md or .html file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Self-test a kata: its reference solution must score full marks, its starter nothing;
    with --mutants, every mutant of the reference must cost its own item.

    Examples: `kata selftest shop-api --seeds 3`,
    `kata selftest shop-api --mutants --jobs 2 --report mutants.html`,
    `kata selftest shop-api --mutants --item debug.history --sample 20 --seed 7`
    """
    from grader import views
    from grader.selftest import run_selftest

    try:
        if report is not None:
            from grader.mutants.pages import check_report_path

            check_report_path(report)
        result = run_selftest(kata_id, seeds=seeds, progress=not as_json)
        mutation = None
        if mutants:
            from grader.mutants.run import run_mutants

            mutation = run_mutants(kata_id, jobs=jobs, sample=sample, items=item or (),
                                   seed=seed, progress=not as_json)
            if report is not None:
                from grader.mutants.pages import write_report

                write_report(mutation, report)
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json({**result.to_json(),
                     **({"mutants": mutation.to_json()} if mutation else {})})
    else:
        views.print_selftest(result)
        if mutation is not None:
            views.print_mutants(mutation)
    if not result.ok or (mutation is not None and not mutation.ok):
        raise typer.Exit(EXIT_BELOW_MIN_SCORE)


@app.command()
def hint(
    item: Annotated[str | None, typer.Argument(
        metavar="[ITEM]", help="A checklist item id; the first item your last check did not "
        "earn if left out.")] = None,
    workspace: Annotated[Path | None, typer.Argument(
        help="Your workspace (default .); `kata hint ./ws` alone, a folder, names it.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The next hint, from a nudge to nearly the answer; an interviewer sees how many you used.

    Examples: `kata hint`, `kata hint ./ws`, `kata hint backend.stock ./ws --json`
    """
    from grader.hints import next_hint

    if workspace is None and item is not None and Path(item).is_dir():
        item, workspace = None, Path(item)
    try:
        given = next_hint(workspace or Path("."), item)
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json(given.to_json())
    else:
        print(f"{given.item}, hint {given.number} of {given.total}: {given.text}")


@app.command()
def status(
    workspace: Annotated[Path, typer.Argument(help="The workspace.")] = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Where you are: each part's time against its plan, the items earned, the next step.

    A part's time is an estimate from your own `kata check` runs (.kata/history.jsonl) and your
    files' modification times: from when the parts before it were done (their items all earned)
    to the check that earned all of its own, or, for the part in progress, to your last save or
    check.

    Example: `kata status ./ws --json`
    """
    from grader.progress import status as workspace_status

    try:
        found = workspace_status(workspace)
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json(found.to_json())
    else:
        from grader import views

        views.print_status(found)


@app.command()
def reset(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Starter files or folders to put back, relative to the workspace (all if none).")]
    = None,
    workspace: Annotated[Path, typer.Option("--workspace", "-w", help="The workspace.")]
    = Path("."),
    list_backups: Annotated[bool, typer.Option("--list", help="List the backups.")] = False,
    restore_stamp: Annotated[str | None, typer.Option(
        "--restore", metavar="STAMP", help="Put a backup back.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Put starter files back; whatever is replaced goes first to .kata/backups/STAMP/, and
    files the starter does not have are never touched.

    Examples: `kata reset app/main.py -w ./ws`, `kata reset --list`, `kata reset --restore STAMP`
    """
    from grader import reset as resets
    from grader import views

    try:
        if list_backups:
            found = resets.backups(workspace)
            if as_json:
                _print_json([backup.to_json() for backup in found])
            else:
                views.print_backups(found)
            return
        change = (resets.restore(workspace, restore_stamp) if restore_stamp
                  else resets.reset(workspace, paths or []))
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json(change.to_json())
    else:
        views.print_reset(change, workspace / resets.BACKUPS)


@app.command()
def new(
    kata_id: Annotated[str, typer.Argument(help="Id of the new kata: lowercase, digits, dashes.")],
    title: Annotated[str | None, typer.Option(help="Its title (default: from the id).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Author a kata: write a skeleton into katas/ID and solutions/ID that passes
    `kata selftest ID --mutants` as made, to change step by step (README, "Authoring a kata").

    Example: `kata new word-count --title "Word count"`, then `kata selftest word-count --mutants`
    """
    from grader.newkata import create_kata

    try:
        made = create_kata(kata_id, title=title)
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json({"kata": made.kata_id, "kata_dir": str(made.kata_dir),
                     "solution_dir": str(made.solution_dir),
                     "files": [str(path) for path in made.files]})
        return
    from grader import views

    views.print_new_kata(made)


@app.command()
def stacks(
    kata_id: Annotated[str | None, typer.Argument(help="Kata id; all katas when left out.")] = None,
    build: Annotated[bool, typer.Option("--build", help="Build what is not cached yet, now: "
                                        "for grading offline later.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List the vetted candidate stacks a submission's pins choose from, and which are built.

    Examples: `kata stacks shop-api`, `kata stacks --build`
    """
    from grader import views
    from grader.kata import load_all_katas, load_kata
    from grader.stack_cache import StackUnavailable, stack_rows

    try:
        katas = [load_kata(kata_id)] if kata_id else load_all_katas()
        rows = [row for kata in katas
                for row in stack_rows(kata, build=build, announce=_to_stderr)]
    except UserError as error:
        _fail(error)
    except StackUnavailable as error:
        _fail(UserError(f"a stack could not be built: {error}", EXIT_BELOW_MIN_SCORE))
    if as_json:
        _print_json(rows)
    else:
        views.print_stacks(rows)


def _to_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


@app.command()
def doctor(as_json: JsonOption = False) -> None:
    """Report which isolation and databases this machine supports, and the warm servers.

    Example: `kata doctor --json`
    """
    from grader import views
    from grader.sandbox import warm
    from grader.sandbox.capabilities import detect_capabilities

    try:
        caps, servers = detect_capabilities(), warm.status()
    except UserError as error:
        _fail(error)
    if as_json:
        _print_json({**caps.to_json(), "warm_servers": servers})
    else:
        views.print_doctor(caps, servers)


@app.command()
def interview(
    plan: Annotated[Path | None, typer.Option(
        help="A plan from `kata plan --format json -o plan.json`; or build one with the "
        "options below, as `kata plan` takes them.")] = None,
    level: Annotated[LevelChoice | None, typer.Option(
        "--level", "-l", help="Candidate's level [default: mid].")] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", "-m", min=1,
                                                help="Total length of the plan.")] = None,
    kata_id: Annotated[str | None, typer.Option(
        "--kata", help="Add this kata's livecoding parts and its manual items.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the question draw.")] = None,
    bank: BankOption = None,
    interviewer: Annotated[str | None, typer.Option(help="Who rates.")] = None,
    candidate: Annotated[str | None, typer.Option(help="Who is interviewed.")] = None,
    session: Annotated[Path | None, typer.Option(
        help="The session file to write (a new one); every change is saved to it.")] = None,
    workspace: Annotated[Path | None, typer.Option(
        help="The candidate's workspace or archive: `c` runs `kata check` on it.")] = None,
    resume: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Go on with the interview this session file holds, clock "
        "included.")] = None,
) -> None:
    """Run an interview full-screen: the plan's blocks with their clocks, each question's answer
    and follow-ups; rate questions, the kata's manual items and the areas, take notes, recommend.

    Examples: `kata interview --plan plan.json --interviewer ana --candidate bo --session
    bo.json --workspace ./ws`, `kata interview --resume bo.json`
    """
    from grader.interview.app import run
    from grader.interview.start import Request, open_interview

    request = Request(session=session, resume=resume, plan_file=plan,
                      level=level.value if level else None, minutes=minutes, kata=kata_id,
                      seed=seed, bank=tuple(bank or ()), interviewer=interviewer,
                      candidate=candidate, workspace=workspace)
    try:
        opened, path = open_interview(request)
        code = run(opened, path)
    except UserError as error:
        _fail(error)
    left = opened.unrated()
    state = "finished" if opened.session.finished else \
        f"saved; `kata interview --resume {path}` goes on"
    _to_stderr(f"{path}: {state} ({left} unrated)")
    raise typer.Exit(code)


def _register_question_bank() -> None:
    from question_bank.cli import register

    register(app)


_register_question_bank()


def _interrupted(*_: object) -> None:
    """Ctrl-C: clean up (sandbox folders, databases), but never for long. The fork server and
    the PostgreSQL keeper clean up after a grader that is gone, so leaving is always safe."""
    threading.Timer(10, os._exit, (130,)).start()
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))  # a second Ctrl-C leaves at once
    raise KeyboardInterrupt


_early_host: ForkServer | None = None
_early_grader: socket.socket | None = None


def _start_servers_early(argv: list[str]) -> None:
    """`kata check` waits above all for its servers' imports (the fork server's, the warm
    grader's), so they are started, or found warm, before the command line is even parsed,
    which imports pydantic for Typer."""
    global _early_host, _early_grader
    if argv[:1] == ["check"] and not {"-h", "--help"} & set(argv):
        from grader.sandbox.warm import fork_server
        from grader.warm_check import warm_grader

        _early_host = fork_server()
        _early_grader = warm_grader()


def main() -> None:
    """Run the app, then leave without tearing down the interpreter: after grading it holds
    pytest, httpx and the checks, and a clean teardown costs more than the answer."""
    signal.signal(signal.SIGINT, _interrupted)
    try:
        _start_servers_early(sys.argv[1:])
        app()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except UserError as error:  # from starting the servers, before the arguments are parsed
        _print_error(error)
        code = error.exit_code
    finally:
        if _early_host is not None:
            _early_host.close()  # unused when the arguments were wrong; idempotent otherwise
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
