"""`kata grade --session`: the interviewers' session files joined with the hidden-check scorecard.

A session belongs to one submission: with a single submission, every session given is its; in a
batch, the submission whose own name (file or folder name, archive suffix dropped, case aside)
is the session's `candidate` or the last part of its `workspace`. A session that fits no
submission, or two, is bad input before anything is graded, as is one of another kata.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import UserError
from grader.interview.card import Given, Interview, Rated, Verdict
from grader.interview.record import InterviewSession, Rating, load_session
from grader.scoring import ItemScore, Scorecard


@dataclass(frozen=True)
class SessionFile:
    path: Path
    session: InterviewSession

    @property
    def kata(self) -> str | None:
        """The kata the interview was planned on: the session's, else its plan's."""
        return self.session.kata or self.session.plan.get("kata")


def load_sessions(files: Iterable[Path]) -> list[SessionFile]:
    return [SessionFile(path, load_session(path)) for path in files]


def assign_sessions(paths: Sequence[Path],
                    sessions: Sequence[SessionFile]) -> dict[Path, list[SessionFile]]:
    """Each submission's sessions (see the module's docstring for the rule)."""
    from grader.reports import submission_stem

    assigned: dict[Path, list[SessionFile]] = {path: [] for path in paths}
    if len(paths) == 1:
        assigned[paths[0]] = list(sessions)
        return assigned
    names = {path: submission_stem(str(path.resolve())).casefold() for path in paths}
    for found in sessions:
        wanted = {found.session.candidate.casefold()}
        if found.session.workspace:
            wanted.add(submission_stem(found.session.workspace).casefold())
        matches = [path for path in paths if names[path] in wanted]
        if len(matches) != 1:
            which = "none" if not matches else " and ".join(str(m) for m in matches)
            raise UserError(f"{found.path}: the session of candidate "
                            f"'{found.session.candidate}' fits {which} of the submissions "
                            "(a session goes to the submission named as its candidate or "
                            "its workspace)")
        assigned[matches[0]].append(found)
    return assigned


def check_kata(found: SessionFile, kata: str | None, submission: str) -> None:
    if kata is not None and found.kata is not None and found.kata != kata:
        raise UserError(f"{found.path} is a session of kata {found.kata}, but {submission} "
                        f"is a submission of {kata}")


def check_items(found: SessionFile, manual: set[str], kata: str) -> None:
    """Every item the session rates is one of the kata's manual items: no rating is dropped."""
    unknown = sorted(set(found.session.items) - manual)
    if unknown:
        raise UserError(f"{found.path} rates {', '.join(unknown)}, which is no manual "
                        f"checklist item of {kata}")


def join(card: Scorecard, sessions: Sequence[SessionFile]) -> Scorecard:
    """The card with the sessions' ratings, notes, times and verdicts; with none, the hidden
    checks' card alone (a resumed card's earlier sessions are dropped, never added twice)."""
    _check_one_candidate(sessions)
    manual = {item.id for item in card.items if item.mode == "manual"}
    for found in sessions:
        check_kata(found, card.kata, card.submission)
        if card.items:  # else not even the kata is known
            check_items(found, manual, card.kata)
    records = [found.session for found in sessions]
    items = [_rate_item(item, records) if item.mode == "manual" else item
             for item in card.items]
    interview = None
    if records:
        asked = tuple(rated for rated in _rated(records, "questions", _question_texts(records))
                      if rated.ratings or any(given.note for given in rated.given))
        interview = Interview(candidate=records[0].candidate,
                              verdicts=tuple(_verdict(record) for record in records),
                              questions=asked,  # the plan lists those nobody rated or noted
                              areas=_rated(records, "areas", _area_texts(records)))
    return dataclasses.replace(card, items=items, interview=interview)


def _check_one_candidate(sessions: Sequence[SessionFile]) -> None:
    seen: dict[str, Path] = {}
    candidates = {found.session.candidate.casefold() for found in sessions}
    if len(candidates) > 1:
        raise UserError(f"{' and '.join(str(f.path) for f in sessions)} are sessions of "
                        f"different candidates ({', '.join(sorted(candidates))}), given for "
                        "one submission")
    for found in sessions:
        earlier = seen.setdefault(found.session.interviewer.casefold(), found.path)
        if earlier != found.path:
            raise UserError(f"{earlier} and {found.path} are both {found.session.interviewer}'s "
                            "sessions of one candidate: give each interviewer's once")


def _rate_item(item: ItemScore, records: Sequence[InterviewSession]) -> ItemScore:
    """Manual points earned: the item's points times its ratings' mean share."""
    rated = Rated(item.id, item.text, _given(records, "items", item.id)) if records else None
    earned = round(item.points * rated.fraction, 2) if rated else 0.0
    return dataclasses.replace(item, rated=rated, earned=earned)


def _given(records: Sequence[InterviewSession], kind: str, key: str) -> tuple[Given, ...]:
    """Every interviewer's rating of one thing, unrated ones included, in session order."""
    given = []
    for record in records:
        rating: Rating = getattr(record, kind).get(key, Rating())
        given.append(Given(record.interviewer, rating.rating, rating.note))
    return tuple(given)


def _rated(records: Sequence[InterviewSession], kind: str,
           texts: dict[str, str]) -> tuple[Rated, ...]:
    """The plan's questions (or areas) in plan order, then any other the sessions rated."""
    for record in records:
        for key in getattr(record, kind):
            texts.setdefault(key, key)
    return tuple(Rated(key, text, _given(records, kind, key)) for key, text in texts.items())


def _question_texts(records: Sequence[InterviewSession]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for record in records:
        for block in record.plan.get("blocks", []):
            for question in block.get("questions", []):
                texts.setdefault(question["id"], question.get("question") or question["id"])
    return texts


def _area_texts(records: Sequence[InterviewSession]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for record in records:
        scorecard: dict[str, Any] = record.plan.get("scorecard") or {}
        for area in scorecard.get("ratings") or {}:
            texts.setdefault(area, area)
    return texts


def _verdict(record: InterviewSession) -> Verdict:
    return Verdict(interviewer=record.interviewer, recommendation=record.recommendation,
                   reason=record.reason, started_at=record.started_at,
                   elapsed_seconds=record.elapsed_seconds, finished=record.finished,
                   blocks=tuple(record.blocks))
