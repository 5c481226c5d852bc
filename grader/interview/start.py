"""Opening an interview: a new one from a plan (a file, or built from `kata plan`'s options), or
the one a session file holds (`--resume`). Every refusal is one sentence (UserError), given
before the screen takes over the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.errors import UserError
from grader.interview.plan_view import PlanView, build_plan_json, read_plan_file
from grader.interview.record import load_session
from grader.interview.state import Interview, ManualItem, new_session


@dataclass(frozen=True)
class Request:
    """What `kata interview` was asked."""

    session: Path | None = None
    resume: Path | None = None
    plan_file: Path | None = None
    level: str | None = None
    minutes: int | None = None
    kata: str | None = None
    seed: int | None = None
    bank: tuple[Path, ...] = ()
    interviewer: str | None = None
    candidate: str | None = None
    workspace: Path | None = None

    def plan_options(self) -> list[str]:
        given = {"--level": self.level, "--minutes": self.minutes, "--kata": self.kata,
                 "--seed": self.seed, "--bank": self.bank or None}
        return [name for name, value in given.items() if value is not None]


def manual_items(kata_id: str | None) -> list[ManualItem]:
    """The kata's checklist items the interviewer rates (mode manual), in checklist order."""
    if kata_id is None:
        return []
    from grader.kata import load_kata

    return [ManualItem(item.id, item.text, item.part)
            for item in load_kata(kata_id).checklist if item.mode == "manual"]


def open_interview(request: Request) -> tuple[Interview, Path]:
    """The interview to run and the file it is saved to (`app.run` writes it first)."""
    if request.resume is not None:
        return _resume(request), request.resume
    if request.session is None:
        raise UserError("give --session FILE, where the interview is saved (or --resume FILE)")
    if request.session.exists():
        raise UserError(f"{request.session} already exists: `kata interview --resume "
                        f"{request.session}` goes on with it, or choose another --session")
    missing = [name for name in ("interviewer", "candidate") if not getattr(request, name)]
    if missing:
        raise UserError(f"give --{missing[0]} NAME: the session file says who rated whom")
    if request.plan_file is not None and request.plan_options():
        raise UserError(f"--plan and {request.plan_options()[0]} do not go together: the plan "
                        "file already says it")
    workspace = None
    if request.workspace is not None:
        if not request.workspace.exists():
            raise UserError(f"{request.workspace} does not exist")
        workspace = str(request.workspace.resolve())  # a resume elsewhere still finds it
    plan = (read_plan_file(request.plan_file) if request.plan_file is not None else
            build_plan_json(request.level or "mid", request.minutes, request.kata, request.seed,
                            list(request.bank) or None))
    manual = manual_items(PlanView.of(plan, "the plan").kata)
    assert request.interviewer and request.candidate  # checked above
    session = new_session(plan, request.interviewer, request.candidate, workspace, manual)
    return Interview(session, manual), request.session


def _resume(request: Request) -> Interview:
    extra = request.plan_options() + [
        name for name, value in (("--plan", request.plan_file), ("--session", request.session),
                                 ("--interviewer", request.interviewer),
                                 ("--candidate", request.candidate),
                                 ("--workspace", request.workspace)) if value is not None]
    if extra:
        raise UserError(f"--resume takes the session file alone, not {extra[0]}: the file "
                        "holds the plan and the names")
    assert request.resume is not None
    session = load_session(request.resume)
    if session.finished:
        raise UserError(f"{request.resume}: this interview is finished; `kata grade "
                        f"--session {request.resume}` reports it")
    PlanView.of(session.plan, f"{request.resume}: its plan")
    try:
        return Interview(session, manual_items(session.kata))
    except ValueError as error:
        raise UserError(f"{request.resume}: {error}") from None

