"""The interview screen, drawn from the state: header with the clocks, what to rate in the
block, the current question's answer and follow-ups, the checklist of the last `kata check`
beside it in a livecoding block, and the keys. Fits 80×24: each region is cropped to its size,
the list scrolls with the cursor. Every mark that matters is text too (`>`, `OVER`, `[3]`), so
the screen reads the same with NO_COLOR, which rich honours.
"""

from __future__ import annotations

import time

from rich.console import Group, RenderableType
from rich.layout import Layout
from rich.text import Text

from grader.interview.check_run import CheckRun
from grader.interview.state import RECOMMENDATION_KEYS, Entry, Interview
from question_bank.plan import RATING_SCALE

KEYS = ("↑↓ item ←→ block 1-4 rate 0 unrate Enter note c check p pause F finish q leave",)
TYPING_KEYS = ("typing the note: letters go in, Backspace deletes, Enter or Esc ends it",)
LIST_ROWS = 8


def clock(seconds: float) -> str:
    seconds = int(abs(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02}:{rest % 60:02}" if hours else f"{rest // 60:02}:{rest % 60:02}"


def header(interview: Interview, message: str) -> Group:
    session, plan, block = interview.session, interview.plan, interview.block
    top = Text(f"kata interview · {session.interviewer} with {session.candidate} · "
               f"{plan.level} · {plan.minutes} min" + (f" · {plan.kata}" if plan.kata else "")
               + f" · {interview.unrated()} to rate",
               style="bold", no_wrap=True, overflow="ellipsis")
    title = Text(f"Block {interview.block_index + 1}/{len(plan.blocks)}: {block.title} "
                 f"({block.minutes} min)", style="bold cyan", no_wrap=True, overflow="ellipsis")
    left, overall = interview.block_left(), interview.overall_left()
    clocks = Text(no_wrap=True, overflow="ellipsis")
    clocks.append(f"block {clock(left)} {'over' if left < 0 else 'left'}",
                  style="bold red" if left < 0 else "")
    clocks.append(f" · all {clock(overall)} {'over' if overall < 0 else 'left'}",
                  style="bold red" if overall < 0 else "")
    if interview.paused:
        clocks.append("   PAUSED", style="bold reverse")
    if left < 0:
        clocks.append(f"   OVER its {block.minutes} min: → moves on", style="bold reverse red")
    elif message:
        clocks.append(f"   {message}", style="yellow")
    return Group(top, title, clocks)


def mark(interview: Interview, entry: Entry) -> str:
    if entry.kind == "recommendation":
        return f"[{interview.session.recommendation or ' '}]"
    rating = interview.rating_of(entry)
    return f"[{rating.rating if rating.rating is not None else ' '}]"


def entry_list(interview: Interview) -> Group:
    entries = interview.entries
    first = max(0, min(interview.cursor - LIST_ROWS // 2, len(entries) - LIST_ROWS))
    rows = []
    for index in range(first, min(len(entries), first + LIST_ROWS)):
        entry = entries[index]
        here = index == interview.cursor
        noted = "*" if interview.note_of(entry) else " "
        row = Text(f"{'>' if here else ' '} {mark(interview, entry)}{noted} {entry.title}",
                   style="reverse" if here else "", no_wrap=True, overflow="ellipsis")
        rows.append(row)
    if not rows:
        rows.append(Text("  nothing to rate in this block", style="dim"))
    return Group(*rows)


def detail(interview: Interview) -> RenderableType:
    block, entry = interview.block, interview.entry
    parts: list[RenderableType] = []
    if block.work:
        parts.append(Text.assemble(("Work: ", "bold"), block.work))
    if entry is None:
        return Group(*parts)
    if entry.question is not None:
        question = entry.question
        parts.append(Text.assemble(("Q: ", "bold"), question.question))
        if question.short_answer:
            parts.append(Text.assemble(("Answer: ", "bold green"), question.short_answer))
        parts += [Text.assemble(("Follow-up: ", "bold"), f) for f in question.follow_ups]
    elif entry.kind == "recommendation":
        chosen = interview.session.recommendation
        parts.append(Text("  ".join(f"{key} {'(' + name + ')' if name == chosen else name}"
                                    for key, name in RECOMMENDATION_KEYS.items())))
    else:
        parts.append(Text.assemble((f"{entry.title}: ", "bold"),
                                   f"rate {RATING_SCALE[0]} (weak) to {RATING_SCALE[-1]} (strong)"))
    label = "Reason: " if entry.kind == "recommendation" else "Note: "
    note = Text.assemble((label, "bold"), interview.note_of(entry))
    if interview.editing:
        note.append("_", style="blink")
    parts.append(note)
    return Group(*parts)


def checklist(run: CheckRun | None, now: float) -> RenderableType:
    if run is None:
        return Text("kata check: not run yet; c runs it on the workspace", style="dim")
    if run.finished is None:
        return Text(f"kata check: running, {now - run.started:.0f} s", style="yellow")
    ago = f"{now - run.finished:.0f} s ago"
    if run.card is None:
        return Text(f"kata check failed ({ago}): {run.error}", style="red")
    card = run.card
    lines = [Text(f"kata check ({ago}): {card['score']:g}/{card['max']:g}", style="bold")]
    if card.get("error"):
        lines.append(Text(str(card["error"]), style="red"))
    for item in card["items"]:
        if item["mode"] == "manual":
            lines.append(Text(f"  manual  {item['text']}", style="dim", no_wrap=True,
                              overflow="ellipsis"))
            continue
        full = item["earned"] >= item["points"]
        lines.append(Text(f"{'ok' if full else '--'} {item['earned']:g}/{item['points']:g} "
                          f"{item['text']}", style="green" if full else "red", no_wrap=True,
                          overflow="ellipsis"))
    return Group(*lines)


def screen(interview: Interview, message: str = "", run: CheckRun | None = None,
           can_check: bool = False) -> Layout:
    keys = TYPING_KEYS if interview.editing else KEYS
    layout = Layout()
    left = Group(entry_list(interview), Text("─" * 200, no_wrap=True, style="dim"),
                 detail(interview))
    body = Layout(name="body")
    if interview.block.kind == "livecoding" and can_check:
        body.split_row(Layout(left, ratio=3),
                       Layout(checklist(run, time.monotonic()), ratio=2))
    else:
        body.update(left)
    layout.split_column(Layout(header(interview, message), size=3), body,
                        Layout(Text("\n".join(keys), style="bold", no_wrap=True,
                                    overflow="ellipsis"), size=1))
    return layout
