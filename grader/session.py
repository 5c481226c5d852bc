"""Grade one submission: copy it into a sandbox, start its processes, run the checks, score."""

from __future__ import annotations

import contextlib
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import UserError
from grader.hints import hints_used
from grader.kata import Kata
from grader.options import GradeOptions
from grader.sandbox.client import ForkServer, Host
from grader.sandbox.folder import SandboxFolder, copy_tree, is_archive, source_hash, unpack
from grader.sandbox.spec import Limits
from grader.scoring import Scorecard, score_checks, tier_titles
from grader.workspace import Workspace, resolve_workspace

if TYPE_CHECKING:
    from grader.database import GradingDatabase
    from grader.postgres.shared import SharedPostgres
    from grader.sandbox.policy import Policy
    from grader.stacks import StackChoice

Announce = Callable[[str], None]


def to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def materialize(source: Path, options: GradeOptions,
                folder: SandboxFolder) -> tuple[Kata, Workspace]:
    """Copy or unpack the submission into the sandbox and identify its kata and layout."""
    if not source.exists():
        raise UserError(f"{source} does not exist")
    if is_archive(source):
        unpack(source, folder.workspace, folder.notes)
    elif source.is_dir():
        resolve_workspace(source, options.kata_id)  # bad input fails before anything is copied
        copy_tree(source, folder.workspace, folder.notes)
    else:
        raise UserError(f"{source} is neither a workspace folder nor a .zip/.tar.gz archive")
    kata, workspace = resolve_workspace(folder.workspace, options.kata_id)
    return kata, workspace


def choose_database(kata: Kata, layout: str, options: GradeOptions) -> str:
    allowed = kata.layouts[layout].databases
    if options.db_url and options.db == "sqlite":
        raise UserError("--db-url names a PostgreSQL server: drop --db sqlite, or the URL")
    wanted = "postgres" if options.db_url else options.db
    if wanted is None:
        return allowed[0]
    if wanted not in allowed:
        raise UserError(f"the {layout} layout of {kata.id} runs on {', '.join(allowed)}, "
                        f"not {wanted}")
    return wanted


def needs_postgres(paths: list[Path], options: GradeOptions) -> bool:
    """Whether a batch needs PostgreSQL: asked for, or a workspace folder whose layout runs on
    PostgreSQL only. Archives are not opened here: one that needs it gets a cluster of its own."""
    if options.db_url or options.db == "postgres":
        return True
    for path in paths:
        if path.is_dir():
            try:
                kata, workspace = resolve_workspace(path, options.kata_id)
                if choose_database(kata, workspace.layout, options) == "postgres":
                    return True
            except UserError:
                continue  # graded (and reported) later
    return False


@contextmanager
def _host(shared: ForkServer | None) -> Iterator[ForkServer]:
    if shared is not None:
        yield shared
        return
    with Host() as own:
        yield own


def grade_one(source: Path, options: GradeOptions, *, progress: bool = False,
              host: ForkServer | None = None, cluster: SharedPostgres | None = None,
              announce: Announce = to_stderr) -> Scorecard:
    """Grade one submission. `host` and `cluster` (a PostgreSQL server, started on first use)
    may be shared by a batch; without them this call starts and stops its own. `host` runs the
    installed stack: a submission that needs another gets that stack's fork server. `announce`
    tells of long work that is not grading, such as a stack's first build."""
    from grader.sandbox.policy import Policy

    started = time.monotonic()
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    folder = SandboxFolder.create(Limits().submission_disk_bytes
                                  if options.isolation == "full" else None)
    try:
        with _host(host) as live_host:  # starts first: its imports overlap with ours
            kata, workspace = materialize(Path(source), options, folder)
            hints = hints_used(folder.workspace, kata)  # before candidate code runs in the copy
            built = time.monotonic()
            stack, python = choose_built_stack(kata, folder.workspace, announce)
            started += time.monotonic() - built  # a first build is not the submission's time
            database = choose_database(kata, workspace.layout, options)
            limit = options.time_limit(kata)
            policy = Policy.choose(options.isolation, limit, kata.limits.memory_mb << 20)
            folder.give_to(policy.uid)
            with _stack_host(live_host, python) as run_host, \
                    _database(database, folder, options, cluster,
                              deadline=started + limit) as db:
                card = _run(kata, workspace, folder, run_host, policy, db, seed, options,
                            started, progress)
    finally:
        folder.remove()
    card.submission = str(source)
    card.content_hash = source_hash(Path(source))
    card.stack = stack.record()
    card.notes = folder.notes + stack.notes + card.notes
    if policy.missing:
        card.notes.append(f"this machine does not give {', '.join(policy.missing)}: the "
                          "candidate's code ran with less isolation (see kata doctor)")
    if policy.level == "full" and not policy.fenced:
        card.notes.append("isolation here is a process boundary and rlimits only, as on macOS: "
                          "fit for practising on one's own code, not for grading others'")
    card.hints_used = hints
    card.durations["total"] = time.monotonic() - started
    return card


def choose_built_stack(kata: Kata, workspace: Path,
                       announce: Announce = to_stderr) -> tuple[StackChoice, str | None]:
    """The stack the workspace's pins ask for and its interpreter (None: the installed one),
    built first if need be; a stack that cannot be built gives way to the next closest."""
    from grader.stack_cache import StackUnavailable, ensure_built
    from grader.stacks import choose_stack, read_pins

    pins, skipped, notes = read_pins(workspace), set(), []
    while True:
        choice = choose_stack(kata, pins, skip=skipped)
        choice.notes[:0] = notes
        if choice.stack.lock is None:
            return choice, None
        try:
            return choice, str(ensure_built(kata.id, choice.stack, announce))
        except StackUnavailable as why:
            skipped.add(choice.stack.id)
            notes.append(f"the vetted stack {choice.stack.id}, which its pins ask for, is not "
                         f"cached and could not be built ({why}): graded on another")


@contextmanager
def _stack_host(installed: ForkServer, python: str | None) -> Iterator[ForkServer]:
    if python is None:
        yield installed
        return
    from grader.sandbox.warm import fork_server

    with fork_server(python=python) as own:
        yield own


@contextmanager
def _database(kind: str, folder: SandboxFolder, options: GradeOptions,
              cluster: SharedPostgres | None = None,
              deadline: float | None = None) -> Iterator[GradingDatabase | None]:
    """The submission's grading database, dropped afterwards: a SQLite file in its run folder,
    or a fresh database on the shared PostgreSQL server (or on one started for this call);
    None for a layout graded without one."""
    if kind == "none":
        yield None
        return
    if kind == "sqlite":
        from grader.database import SqliteDatabase

        yield SqliteDatabase(folder.run / "grade.db", deadline)
        return
    from grader.postgres.shared import SharedPostgres

    shared = cluster or SharedPostgres(options.db_url)
    try:
        server = shared.get()
        db = server.create_database(folder.run)
        try:
            yield db
        finally:
            server.drop_database(db)
    finally:
        if cluster is None:
            shared.close()


def _run(kata: Kata, workspace: Workspace, folder: SandboxFolder, host: ForkServer, policy: Policy,
         db: GradingDatabase | None, seed: int, options: GradeOptions, started: float,
         progress: bool) -> Scorecard:
    from grader.candidate import CandidateRun
    from grader.sandbox.cgroup import SubmissionCgroup

    deadline = started + options.time_limit(kata)
    group = SubmissionCgroup.create(policy.limits) if policy.level == "full" else None
    run = CandidateRun(kata=kata, layout=kata.layouts[workspace.layout], folder=folder,
                       session=host.session(), policy=policy, db=db, deadline=deadline,
                       cgroup=group)
    checks_started = time.monotonic()
    run.start()
    from grader.checks import run_checks  # pytest: imported while the candidate starts
    from grader.spinner import spinner

    try:
        with spinner(progress, f"Running the hidden checks of {kata.id}"):
            results = run_checks(kata, run, seed)
    finally:
        run.close()
        reached = [*(group.limits_reached() if group is not None else []),
                   *(db.limits_reached if db is not None else [])]
        if folder.disk_full():
            reached.append(f"disk limit {folder.disk_bytes >> 20} MiB reached")
        notes = [f"{limit}; the checks that needed it from then on failed" for limit in reached]
        if group is not None:
            group.remove()
    if group is None and policy.level == "full":
        notes.append("no cgroup here (it needs root, or a delegated cgroup): each process has its "
                     "own limits, the submission as a whole none on memory, processes or disk")
    return Scorecard(
        kata=kata.id, title=kata.title, submission=str(workspace.path), layout=workspace.layout,
        database=db.kind if db is not None else "none", seed=seed,
        items=score_checks(kata, results), notes=notes, tier_titles=tier_titles(kata),
        isolation=policy.applied() + (["whole-submission limits (cgroup)"] if group else []),
        started_at=workspace.started_at,
        planned_minutes=kata.planned_minutes,
        durations={"checks": time.monotonic() - checks_started, **run.timeline()},
    )


def preload_graders() -> None:
    """Import, collect and probe once what every grader forked from this process needs:
    pytest, httpx and every kata's checks, and this machine's isolation. Then freeze it all, so
    forked graders leave those objects (and their pages) alone."""
    import gc

    import httpcore  # noqa: F401 - httpx imports it lazily: once here, not in every fork

    import grader.api  # noqa: F401 - httpx
    from grader.checks import prepare_checks
    from grader.kata import load_all_katas
    from grader.sandbox.capabilities import detect_capabilities
    from grader.stacks import choose_stack

    for kata in load_all_katas():
        with contextlib.suppress(Exception):  # left to the grader that runs them: it says why
            prepare_checks(kata)
        choose_stack(kata, [])  # reads its locks and the installed versions once
    detect_capabilities()  # forks with namespaces: tens of ms, not to be paid per grader
    gc.freeze()

