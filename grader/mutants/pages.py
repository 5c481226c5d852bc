"""The mutation report as a page: Markdown for a pull request, HTML to open from disk."""

from __future__ import annotations

from pathlib import Path

from grader.errors import UserError
from grader.mutants.run import VERDICTS, Graded, MutationReport
from grader.reports.atomic import write_atomic

SUFFIXES = (".md", ".html")
_SHOWN = ("survived", "misattributed", "not_equivalent", "also_cost")
"""Verdicts whose mutants the page lists with their diffs: what a kata author has to act on."""


def check_report_path(path: Path) -> None:
    """Before any grading: a wrong --report must not cost a whole run."""
    if path.suffix not in SUFFIXES:
        raise UserError(f"--report {path}: give a .md or .html file")
    if path.is_dir():
        raise UserError(f"--report {path} is a folder, not a file")
    if not path.parent.is_dir():
        raise UserError(f"--report {path}: no folder {path.parent}")


def _title(report: MutationReport) -> str:
    return f"Mutants of the {report.kata} reference"


def _rate(killed: int, judged: int) -> str:
    return f"{killed / judged:.0%}" if judged else "-"


def _listed(report: MutationReport) -> list[Graded]:
    return [g for verdict in _SHOWN for g in report.graded if g.verdict == verdict]


def markdown(report: MutationReport) -> str:
    lines = [f"# {_title(report)}", "",
             f"Seed {report.seed}: {report.killed} of {report.judged} mutants killed by their "
             f"own item ({report.kill_rate:.0%}, floor {report.floor:.0%}); "
             f"{len(report.graded)} of {report.made} made, graded in {report.seconds:.1f} s.",
             "", "**Floor met.**" if report.ok else "**Floor missed:**"]
    lines += [f"- {problem}" for problem in report.problems]
    lines += ["", "| item | judged | " + " | ".join(v.replace("_", " ") for v in VERDICTS)
              + " | kill rate |", "|---" * (len(VERDICTS) + 3) + "|"]
    for tally in report.graded_items:
        killed = tally.counts["killed"] + tally.counts["also_cost"]
        lines.append(f"| `{tally.item}` | {tally.judged} | "
                     + " | ".join(str(tally.counts[v]) for v in VERDICTS)
                     + f" | {_rate(killed, tally.judged)} |")
    for graded in _listed(report):
        passed = ", ".join(f"`{n}`" for n in graded.passed) or "none"
        lines += ["", f"## `{graded.mutant.id}`: {graded.verdict.replace('_', ' ')}", "",
                  f"Item `{graded.mutant.item}`; lost: {', '.join(graded.lost) or 'nothing'}; "
                  f"its checks that passed: {passed}.", "", "```diff",
                  graded.mutant.diff.rstrip(), "```"]
    return "\n".join(lines) + "\n"


def html(report: MutationReport) -> str:
    from grader.reports.htmlpage import render_page

    return render_page("mutants.html.jinja", report=report, title=_title(report),
                       verdicts=VERDICTS, listed=_listed(report), rate=_rate)


def write_report(report: MutationReport, path: Path) -> None:
    check_report_path(path)
    write_atomic(path, markdown(report) if path.suffix == ".md" else html(report))
