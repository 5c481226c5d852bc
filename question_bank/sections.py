"""The sections of the bank, in interview order, with seed 003's timing for each.

A section is both a YAML file (`data/<id>.yaml`) and a slot of an interview plan, so the
timing lives here next to the id: the plan builder reads it, the lint checks ids against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: str
    minutes: tuple[int, int]
    optional: bool = False  # plans drop it when the minutes asked leave no room


SECTIONS: tuple[Section, ...] = (
    Section("intro", 0, "Introduction", (10, 15)),
    Section("python", 1, "Python", (5, 7)),
    Section("api", 2, "APIs, REST and FastAPI", (5, 7)),
    Section("database", 3, "Databases and ORMs", (5, 7)),
    Section("workspace", 4, "Workspace: venv, Git, Docker, settings", (5, 7)),
    Section("advanced", 5, "Advanced: design, security, async, testing", (10, 15)),
    # Seed 003 gives section 6 no time of its own: it fills minutes the others leave over.
    Section("problem-solving", 6, "Problem solving and approach", (5, 7), optional=True),
)

SECTION_IDS: tuple[str, ...] = tuple(section.id for section in SECTIONS)

# Seed 003: "leave 5 min for candidate questions".
CANDIDATE_QUESTIONS_MINUTES = 5


def get_section(section_id: str) -> Section | None:
    return next((s for s in SECTIONS if s.id == section_id), None)
