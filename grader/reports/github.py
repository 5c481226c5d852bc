"""`kata grade --format github`: the scorecards as a GitHub Actions job summary, and each missed
item as an error annotation on the file it names, so a run shows the grade where people look.

An item's file is the first file its kata.yaml `mutate:` regions name that the submission holds:
at that path, else the one file of that name in the submission (a layout that moves files, such
as the upstream kit's root-level `main.py`). Its line is where the region starts there: its
function or class, or the first line holding one of its `match` texts. An item that names no
file the submission holds, and an error card, are annotated without a file. Reasons carry
candidate output, so they are escaped as workflow commands ask: no candidate text can end the
annotation or start a command of its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UserError
from grader.kata import ChecklistItem, Region
from grader.reports.common import card_miss, first_miss, one_line, points, ranked
from grader.reports.markdown import card_markdown
from grader.scoring import ItemScore, Scorecard

GITHUB = "github"
SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


@dataclass(frozen=True)
class Annotation:
    title: str
    message: str
    file: str | None = None
    line: int | None = None

    def command(self) -> str:
        """`::error file=…,line=…,title=…::message`, escaped as the runner reads it."""
        properties = [("file", self.file), ("line", self.line), ("title", self.title)]
        given = ",".join(f"{key}={_escape(str(value), property=True)}"
                         for key, value in properties if value is not None)
        return f"::error {given}::{_escape(self.message)}"


def split_formats(text: str) -> tuple[str, bool]:
    """"json,github,md" -> ("json,md", True): the report files for --out, and whether the
    GitHub outputs were asked for (they are no file in --out)."""
    names = [name.strip() for name in text.split(",")]
    rest = [name for name in names if name.lower() != GITHUB]
    return ",".join(rest), len(rest) != len(names)


def summary_file() -> Path:
    """Where the job summary goes; outside Actions there is none, and that is bad input."""
    path = os.environ.get(SUMMARY_VARIABLE)
    if not path:
        raise UserError(f"--format github writes the job summary to ${SUMMARY_VARIABLE}, "
                        "which is not set: use it in a GitHub Actions step")
    return Path(path)


def job_summary(cards: Sequence[Scorecard]) -> str:
    """Every scorecard in Markdown, best first (one for the repository an action grades)."""
    return "\n".join(card_markdown(card) for card in ranked(cards))


def annotations(cards: Sequence[Scorecard]) -> list[Annotation]:
    from grader.kata import load_kata

    found: list[Annotation] = []
    for card in ranked(cards):
        if card.error:
            found.append(Annotation(f"{card.submission}: not graded", card_miss(card)))
            continue
        try:
            checklist = {item.id: item for item in load_kata(card.kata).checklist}
        except UserError:
            checklist = {}
        for item in card.items:
            if item.mode == "auto" and item.earned < item.points:
                found.append(_missed(card, item, checklist.get(item.id)))
    return found


def write_github(cards: Sequence[Scorecard], summary: Path) -> list[str]:
    """Append the job summary (the step's file may hold others' text); the commands to print."""
    with open(summary, "a", encoding="utf-8") as stream:
        stream.write(job_summary(cards))
    return [annotation.command() for annotation in annotations(cards)]


def _missed(card: Scorecard, item: ItemScore, declared: ChecklistItem | None) -> Annotation:
    title = f"{item.id} {points(item.earned)}/{points(item.points)}: {one_line(item.text)}"
    message = first_miss(item) or item.status
    folder = Path(card.submission)
    for region in declared.mutate if declared and folder.is_dir() else ():
        path = _held(folder, region.file)
        if path is not None:
            return Annotation(title, message, file=_shown(path), line=_line(path, region))
    return Annotation(title, message)


def _held(folder: Path, file: str) -> Path | None:
    if (folder / file).is_file():
        return folder / file
    same_name = [path for path in folder.rglob(Path(file).name) if path.is_file()]
    return same_name[0] if len(same_name) == 1 else None


def _line(path: Path, region: Region) -> int | None:
    """Where the region starts in the candidate's file: its function's or class's line, else
    the first line holding one of its `match` texts, else its first line."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if region.function is not None:
        name = re.escape(region.function.rsplit(".", 1)[-1])
        start = re.compile(rf"\s*(?:async\s+def|def|class)\s+{name}\b")
        return next((number for number, text in enumerate(lines, 1) if start.match(text)), None)
    if region.match:
        return next((number for number, text in enumerate(lines, 1)
                     if any(match in text for match in region.match)), None)
    return region.lines[0] if region.lines else None


def _shown(path: Path) -> str:
    """Relative to the working folder (the repository, in Actions) when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _escape(text: str, property: bool = False) -> str:
    """one_line has taken out every line break already; % comes first, as the runner decodes."""
    text = one_line(text).replace("%", "%25")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text
