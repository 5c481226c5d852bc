"""Terminal views (rich). Each takes data the packages computed and only prints it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from pathlib import Path

    from grader.interview.card import Interview, Rated
    from grader.kata import Kata
    from grader.mutants.run import MutationReport
    from grader.newkata import NewKata
    from grader.progress import Status
    from grader.reset import Backup
    from grader.reset import Change as ResetChange
    from grader.reveal import ItemSolution
    from grader.sandbox.capabilities import Capabilities
    from grader.scoring import ItemScore, Scorecard
    from grader.selftest import SelftestResult
    from grader.watch import WatchChange
    from grader.workspace import Workspace

console = Console(highlight=False)


def _minutes(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}-{high}"


def print_kata_list(katas: list[Kata]) -> None:
    table = Table(title="Katas", title_justify="left")
    for column in ("id", "title", "level", "minutes", "points"):
        table.add_column(column)
    for kata in katas:
        table.add_row(kata.id, kata.title, kata.level, _minutes(*kata.planned_minutes),
                      f"{kata.max_points:g}")
    console.print(table)


def print_kata(kata: Kata) -> None:
    console.print(f"[bold]{kata.title}[/] ({kata.id}, {kata.level}, "
                  f"{_minutes(*kata.planned_minutes)} min)")
    console.print(kata.summary + "\n")
    parts = Table(title="Parts", title_justify="left")
    for column in ("#", "part", "minutes", "work"):
        parts.add_column(column)
    for number, part in enumerate(kata.parts, 1):
        parts.add_row(str(number), part.title, _minutes(*part.minutes), part.work)
    console.print(parts)
    items = Table(title="Checklist", title_justify="left")
    for column in ("item", "points", "graded"):
        items.add_column(column)
    for item in kata.checklist:
        points = f"{item.points:g}" if item.mode == "auto" or item.points else "-"
        graded = f"{len(item.checks)} check group(s)" if item.mode == "auto" else "interviewer"
        items.add_row(item.text, points, graded)
    console.print(items)


def print_started(workspace: Workspace, solution: bool = False) -> None:
    what = "Reference solution" if solution else "Workspace"
    console.print(f"[green]✓[/] {what} for [bold]{workspace.kata_id}[/] in {workspace.path}")
    if not solution:
        console.print(f"  Read {workspace.path / 'README.md'}; the clock started now.")
    console.print(f"  Check it with: kata check {workspace.path}")


def print_status(found: Status) -> None:
    table = Table(title=f"{found.kata}: where you are", title_justify="left")
    for column in ("part", "planned", "spent (est.)", "items", "state"):
        table.add_column(column)
    for part in found.parts:
        spent = "-" if part.minutes is None else f"{part.minutes:g} min"
        items = f"{len(part.earned)}/{len(part.items)}" if part.items else "-"
        table.add_row(part.title, f"{_minutes(*part.planned)} min", spent, items, part.state)
    console.print(table)
    if found.score is None:
        console.print("No check yet: run kata check to see the checklist.")
    else:
        elapsed = "" if found.elapsed_minutes is None else f", {found.elapsed_minutes:g} min in"
        checks = f"{found.checks} check{'' if found.checks == 1 else 's'}"
        console.print(f"Last check: {found.score:g} points ({checks}{elapsed}).")
    console.print("[dim]Times are estimates from your checks and saves (kata status --help).[/]")
    if step := found.next_step:
        console.print(f"Next: {escape(step.text)} ({step.item}). {escape(step.work)}")


def print_item_solution(shown: ItemSolution) -> None:
    from rich.syntax import Syntax

    for region in shown.regions:
        where = region.file + (f" ({region.function})" if region.function else "")
        console.print(f"[bold]{escape(where)}[/]: yours, then the reference's")
        console.print(Syntax(region.diff.rstrip(), "diff", theme="ansi_dark") if region.diff
                      else "  the same as the reference")


def print_reset(change: ResetChange, backups: Path) -> None:
    for name in change.restored:
        console.print(f"restored {escape(name)}")
    if change.stamp:
        console.print(f"what it replaced is in {escape(str(backups / change.stamp))} "
                      f"(kata reset --restore {change.stamp})")
    if not change.restored:
        console.print("nothing to reset: the files are as the starter has them")
    if change.left_alone:
        console.print(f"left alone, yours and not the starter's: "
                      f"{escape(', '.join(change.left_alone))}")


def print_backups(found: list[Backup]) -> None:
    for backup in found:
        console.print(f"{backup.stamp}  {escape(', '.join(backup.files))}")
    if not found:
        console.print("no backups yet")


def print_watch_change(change: WatchChange) -> None:
    """Under a watched run's checklist: what the save changed, not to be read off the table."""
    for word, style, items in (("gained", "green", change.gained), ("lost", "red", change.lost)):
        for item in items:
            console.print(Text(f"{word} ", style=f"bold {style}")
                          + Text(f"{item.text} ({item.after - item.before:+g})"))
    if change.gained or change.lost:
        console.print(f"score {change.previous_score:g} -> {change.score:g} of "
                      f"{change.max_score:g}")
    elif not change.first:
        console.print("[dim]no item changed since the last run[/]")
    if change.new_first_miss:
        miss = change.first_miss
        console.print(Text("first miss now: ", style="bold")
                      + (Text(f"{miss.item}: {miss.reason}") if miss
                         else Text("none, every item has its points", style="green")))
    console.print("[dim]watching for saves; Ctrl-C stops[/]")


def print_new_kata(made: NewKata) -> None:
    console.print(f"[green]✓[/] Kata [bold]{made.kata_id}[/] in {made.kata_dir}, its reference "
                  f"in {made.solution_dir}")
    console.print(f"  Edit {made.spec} first; prove it with: kata selftest {made.kata_id} "
                  "--mutants")


def _item_line(item: ItemScore) -> tuple[Text, str, str, Text]:
    if item.rated is not None and item.rated.ratings:
        return (Text("•", style="cyan"), f"{item.earned:g}/{item.points:g}", "rated",
                Text(item.rated.summary(), style="yellow" if item.rated.calibrate else "dim"))
    if item.mode == "manual":
        return Text("•", style="cyan"), "-", "for the interviewer", Text("")
    mark = {"passed": Text("✓", style="green"), "partial": Text("~", style="yellow"),
            "failed": Text("✗", style="red")}[item.status]
    reason = Text(item.reason or "", style="dim")
    return (mark, f"{item.earned:g}/{item.points:g}",
            f"{item.passed_checks}/{len(item.counted)} checks", reason)


def elapsed_minutes(started_at: str | None) -> float | None:
    if not started_at:
        return None
    started = datetime.fromisoformat(started_at)
    return (datetime.now(UTC) - started).total_seconds() / 60


def print_scorecard(card: Scorecard, show_plan: bool = False) -> None:
    console.print(f"[bold]{card.title}[/] — {card.submission}")
    if card.error:
        console.print(f"[red]not graded:[/] {card.error}")
    table = Table(show_header=True, header_style="bold", expand=False)
    tiered = bool(card.tier_titles)
    for column in ("", "item", *(["tier"] if tiered else []), "points", "checks", "first miss"):
        table.add_column(column, overflow="fold")
    for item in card.items:
        mark, points, checks, reason = _item_line(item)
        tier = [card.tier_titles.get(item.tier or "", "")] if tiered else []
        table.add_row(mark, item.text, *tier, points, checks, reason)
    console.print(table)
    console.print(f"[bold]Score: {card.score:g}/{card.max_score:g}[/]"
                  f"   seed {card.seed}   database {card.database}   layout {card.layout}")
    if total := card.total_summary():
        console.print(f"[bold]Total: {escape(total)}[/]")
    if card.interview is not None:
        _print_interview(card.interview, card.calibrations())
    if tiers := card.tiers_summary():
        console.print(f"Tiers: {escape(tiers)}")
    if card.isolation:
        console.print(f"[dim]Isolation: {', '.join(card.isolation)}[/]")
    if stack := card.stack_summary():
        console.print(f"[dim]Stack: {escape(stack)}[/]")
    for note in card.notes:
        console.print(f"[yellow]note:[/] {note}")
    if hints := card.hints_summary():
        console.print(f"[cyan]hints:[/] {escape(hints)}")
    minutes = elapsed_minutes(card.started_at)
    if show_plan and minutes is not None and card.planned_minutes:
        low, high = card.planned_minutes
        verdict = "within plan" if minutes <= high else "over plan"
        console.print(f"Time since start: {minutes:.0f} min of a planned "
                      f"{_minutes(low, high)} min ({verdict})")


def _print_interview(interview: Interview, calibrations: list[Rated]) -> None:
    """The verdicts and what the interviewers should calibrate on; the reports hold the rest
    (every rating, note and block time)."""
    for verdict in interview.verdicts:
        reason = f": {verdict.reason}" if verdict.reason else ""
        console.print(Text(f"{verdict.interviewer}: ", style="bold")
                      + Text(f"{verdict.recommendation or 'no recommendation yet'}{reason}"))
    for rated in calibrations:
        console.print(Text("calibrate ", style="bold yellow")
                      + Text(f"{rated.id}: {rated.summary()}"))


def print_batch(cards: list[Scorecard]) -> None:
    """Every candidate's scorecard, then the ranking."""
    for card in cards:
        print_scorecard(card)
        console.print()
    if len(cards) == 1:
        return
    table = Table(title="Submissions, best first", title_justify="left")
    tiered = any(card.tier_titles for card in cards)
    joined = any(card.interview for card in cards)
    for column in ("#", "submission", "score", *(["total", "recommendations"] if joined else []),
                   *(["tiers"] if tiered else []), "status", "first miss", "hints"):
        table.add_column(column, overflow="fold")
    ranked = sorted(cards, key=lambda c: (-c.total, c.submission))
    for rank, card in enumerate(ranked, 1):
        miss = card.error or next((i.reason for i in card.items if i.reason), "") or ""
        tiers = [card.tiers_summary() or ""] if tiered else []
        interview = ([f"{card.total:g}/{card.total_max:g}",
                      card.interview.recommendations() if card.interview else ""]
                     if joined else [])
        table.add_row(str(rank), card.submission, f"{card.score:g}/{card.max_score:g}",
                      *interview, *tiers, card.status, miss, card.hints_summary() or "")
    console.print(table)


def print_selftest(result: SelftestResult) -> None:
    for line in result.lines:
        mark = Text("✓", style="green") if line.ok else Text("✗", style="red")
        console.print(mark, line.text)
    console.print("[green]self-test passed[/]" if result.ok else "[red]self-test failed[/]")


def print_mutants(report: MutationReport) -> None:
    from rich.syntax import Syntax

    table = Table(title=f"Mutants of the {report.kata} reference (seed {report.seed})",
                  title_justify="left")
    table.add_column("item", no_wrap=True)
    for column in ("judged", "killed", "also cost", "misattr.", "survived", "equiv.", "rate"):
        table.add_column(column, justify="right")
    for tally in report.graded_items:
        counts = tally.counts
        rate = (counts["killed"] + counts["also_cost"]) / tally.judged if tally.judged else 1.0
        table.add_row(tally.item, str(tally.judged), str(counts["killed"]),
                      str(counts["also_cost"]), str(counts["misattributed"]),
                      str(counts["survived"]),
                      str(counts["equivalent"] + counts["not_equivalent"]), f"{rate:.0%}")
    console.print(table)
    for graded in report.graded:
        if graded.verdict in ("survived", "misattributed", "not_equivalent"):
            lost = ", ".join(graded.lost) or "nothing"
            console.print(f"\n[bold]{escape(graded.mutant.id)}[/] ({graded.mutant.item}): "
                          f"[yellow]{graded.verdict.replace('_', ' ')}[/], lost {escape(lost)}")
            console.print(Syntax(graded.mutant.diff.rstrip(), "diff", theme="ansi_dark"))
            passed = ", ".join(n.rsplit("::", 1)[-1] for n in graded.passed) or "none"
            console.print(f"  checks of {graded.mutant.item} that passed: {escape(passed)}")
    also = [g for g in report.graded if g.verdict == "also_cost"]
    if also:
        console.print(f"\n{len(also)} mutant(s) also cost another item (diffs in --report):")
        for graded in also:
            others = ", ".join(i for i in graded.lost if i != graded.mutant.item)
            console.print(f"  {escape(graded.mutant.id)}: also {escape(others)}")
    console.print(f"\n{report.killed} of {report.judged} mutants killed by their own item "
                  f"({report.kill_rate:.0%}, floor {report.floor:.0%}); "
                  f"{report.count('misattributed')} misattributed, "
                  f"{report.count('equivalent')} equivalent; {len(report.graded)} of "
                  f"{report.made} made, graded in {report.seconds:.1f} s")
    for problem in report.problems:
        console.print(Text("✗ ", style="red") + Text(problem))
    console.print("[green]mutation floor met[/]" if report.ok else "[red]mutation floor missed[/]")


def print_doctor(caps: Capabilities, servers: dict[str, Any]) -> None:
    def yes(flag: bool) -> str:
        return "[green]yes[/]" if flag else "[yellow]no[/]"

    table = Table(title="What this machine supports", title_justify="left")
    table.add_column("capability")
    table.add_column("available")
    table.add_row("running as root (candidate code runs as an unprivileged uid)", yes(caps.root))
    if not caps.root:
        table.add_row("user namespaces (the fences below without root)", yes(caps.userns))
    table.add_row("network namespace (no network for candidate code)", yes(caps.netns))
    table.add_row("private /tmp, /var/tmp, /dev/shm; closed folders and your home hidden; "
                  "the rest read-only", yes(caps.private_mounts))
    table.add_row("IPC namespace (System V objects die with the submission)", yes(caps.ipcns))
    table.add_row("PID namespace (no other process in sight; all end with the role)",
                  yes(caps.pidns))
    table.add_row("a process budget per role (a fork bomb costs only its own items)",
                  yes(caps.role_budget))
    table.add_row("seccomp (no new sessions, no new privileges)", yes(caps.seccomp))
    table.add_row("cgroup (memory, processes and CPU for a whole submission; needs root or "
                  "a delegated group)", yes(caps.cgroup))
    table.add_row("PostgreSQL binaries", caps.postgres_bin or "[yellow]not found[/]")
    console.print(table)
    if missing := caps.missing():
        console.print(f"[yellow]Missing for full isolation:[/] {', '.join(missing)}. "
                      "kata grade refuses submissions without network isolation unless given "
                      "--isolation minimal.")
    if not servers["enabled"]:
        console.print("Warm servers: off (KATA_SERVER=0): each command starts its own.")
        return
    running = [name for name, up in servers["running"].items() if up]
    console.print(f"Warm servers in {servers['folder']}: "
                  f"{', '.join(running) + ' running' if running else 'none running'}; "
                  f"they leave after {servers['idle_seconds']:g} s without a check.")


def print_stacks(rows: list[dict[str, Any]]) -> None:
    """A row per stack with the versions that tell the kata's stacks apart (--json: all)."""
    table = Table(show_header=True, header_style="bold", expand=False)
    for column in ("kata", "stack", "built", "versions where its stacks differ", "where"):
        table.add_column(column, overflow="fold")
    for row in rows:
        siblings = [other["packages"] for other in rows if other["kata"] == row["kata"]]
        differ = [name for name, version in row["packages"].items()
                  if any(other.get(name) != version for other in siblings)]
        table.add_row(row["kata"], row["id"], "yes" if row["built"] else "no: on first use",
                      ", ".join(f"{name} {row['packages'][name]}" for name in differ),
                      row["path"])
    console.print(table)
