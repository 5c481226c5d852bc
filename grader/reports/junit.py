"""JUnit XML, so CI systems (GitLab, Jenkins) list every check under its checklist item.

Follows the common JUnit schema (Jenkins' junit-10.xsd): testsuites > testsuite > testcase,
whose children are skipped?, error*, failure*. A failed or erroring check is a <failure>
(the candidate's code failed the check; `type` keeps which), an item that never ran on an
error card is an <error> (the grader could not grade it), a manual item a skipped testcase
until an interviewer rates it. With sessions joined, a rated item's testcase passes and carries
every rating and note in <system-out>, and an `interview` testsuite holds the questions and areas
the same way, the recommendations and block times as its properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from grader.interview.card import Interview, Rated, minutes
from grader.reports.common import MANUAL, NOT_GRADED, Entry, one_line, points, printable
from grader.scoring import CheckResult, ItemScore, Scorecard


def card_xml(card: Scorecard) -> bytes:
    """One submission: a testsuite per checklist item, a testcase per check."""
    root = Element("testsuites", name=printable(f"{card.title}: {card.submission}"))
    for suite in _item_suites(card):
        root.append(suite)
    return _serialize(root)


def summary_xml(entries: Sequence[Entry]) -> bytes:
    """All submissions, a testsuite each; classnames carry the submission so CI keeps them
    apart (Jenkins groups by classname, not by suite)."""
    root = Element("testsuites", name="katabench summary")
    for entry in entries:
        card = entry.card
        suite = Element("testsuite", name=printable(card.submission))
        properties = SubElement(suite, "properties")
        for key, value in _properties(card):
            SubElement(properties, "property", name=key, value=printable(value))
        for item_suite in _item_suites(card, prefix=f"{entry.name}."):
            suite.extend(item_suite.findall("testcase"))
        root.append(_counted(suite))
    return _serialize(root)


def _item_suites(card: Scorecard, prefix: str = "") -> list[Element]:
    suites = [_item_suite(item, card.error, prefix + item.id, card.hints_used.get(item.id),
                          card.tier_titles.get(item.tier or ""))
              for item in card.items]
    if card.error and not card.items:  # not even the kata is known: still show the error
        suite = Element("testsuite", name="grading")
        suite.append(_case("grading", prefix + "grading", "error", NOT_GRADED, card.error))
        suites.append(_counted(suite))
    if card.interview is not None:
        suites.append(_interview_suite(card.interview, prefix + "interview"))
    return suites


def _interview_suite(interview: Interview, classname: str) -> Element:
    """Questions and areas as testcases (skipped while unrated); verdicts and times as
    properties, as CI shows them beside the suite."""
    suite = Element("testsuite", name="interview")
    listed = SubElement(suite, "properties")
    values = [("candidate", interview.candidate)]
    values += [(f"recommendation:{v.interviewer}", (v.recommendation or "none yet")
                + (f": {v.reason}" if v.reason else "")) for v in interview.verdicts]
    values += [(f"time:{block.id}", f"{block.planned_minutes} min planned; " + ", ".join(
                f"{name} {minutes(seconds) or '-'}"
                for name, seconds in zip(interview.interviewers, spent, strict=True)))
               for block, spent in interview.blocks()]
    for key, value in values:
        SubElement(listed, "property", name=printable(key), value=printable(one_line(value)))
    for kind, rows in (("question", interview.questions), ("area", interview.areas)):
        for rated in rows:
            suite.append(_rated_case(rated, f"{classname}.{kind}", rated.id))
    return _counted(suite)


def _rated_case(rated: Rated, classname: str, name: str) -> Element:
    """A rated thing: passed with its ratings and notes in system-out, or skipped unrated."""
    if not rated.ratings:
        return _case(name, classname, "skipped", "unrated", f"unrated: {rated.text}")
    case = _case(name, classname, None, "", "")
    out = SubElement(case, "system-out")
    out.text = printable("\n".join([rated.summary(), *(
        f"{given.interviewer}: {given.note}" for given in rated.given if given.note)]))
    return case


def _item_suite(item: ItemScore, error: str | None, classname: str,
                hints: int | None, tier: str | None) -> Element:
    suite = Element("testsuite", name=printable(item.id))
    properties = {"hints_used": f"{hints} (as recorded in the workspace)" if hints else None,
                  "tier": tier,
                  "points": f"{points(item.earned)}/{points(item.points)}" if item.rated else None}
    if any(properties.values()):
        listed = SubElement(suite, "properties")
        for key, value in properties.items():
            if value:
                SubElement(listed, "property", name=key, value=printable(value))
    if item.rated is not None and item.rated.ratings:
        suite.append(_rated_case(item.rated, classname, MANUAL))
    elif item.mode == "manual":
        suite.append(_case(MANUAL, classname, "skipped", "manual", f"{MANUAL}: {item.text}"))
    elif not item.checks:
        reason = error or "no check ran for this item"
        suite.append(_case(NOT_GRADED, classname, "error", NOT_GRADED, reason))
    else:
        for check in item.checks:
            suite.append(_check_case(check, classname))
    return _counted(suite)


def _check_case(check: CheckResult, classname: str) -> Element:
    reason = check.message or check.outcome
    if check.outcome in ("failed", "error"):
        return _case(check.name, classname, "failure", check.outcome, reason, check.duration)
    if check.outcome == "skipped":
        return _case(check.name, classname, "skipped", "skipped", reason, check.duration)
    return _case(check.name, classname, None, "", "", check.duration)


def _case(name: str, classname: str, kind: str | None, kind_type: str, reason: str,
          seconds: float = 0.0) -> Element:
    case = Element("testcase", name=printable(name), classname=printable(classname),
                   time=f"{seconds:.3f}")
    if kind == "skipped":
        SubElement(case, "skipped", message=printable(one_line(reason)))
    elif kind is not None:
        child = SubElement(case, kind, message=printable(one_line(reason)), type=kind_type)
        child.text = printable(reason)
    return case


def _counted(suite: Element) -> Element:
    """Counts derived from the cases themselves, so they can never disagree."""
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        suite.set(attribute, str(sum(case.find(tag) is not None for case in cases)))
    suite.set("time", f"{sum(float(case.get('time', 0)) for case in cases):.3f}")
    return suite


def _properties(card: Scorecard) -> list[tuple[str, str]]:
    values = {
        "kata": card.kata, "submission": card.submission, "status": card.status,
        "score": f"{points(card.score)}/{points(card.max_score)}",
        "seed": card.seed, "database": card.database, "layout": card.layout,
        "isolation": ", ".join(card.isolation), "stack": card.stack_summary(),
        "content_hash": card.content_hash, "hints_used": card.hints_summary(),
        "tiers": card.tiers_summary(), "total": card.total_summary(),
        "recommendations": card.interview.recommendations() if card.interview else None,
        "error": card.error,
    }
    return [(key, str(value)) for key, value in values.items() if value not in (None, "")]


def _serialize(root: Element) -> bytes:
    """Root totals summed from the suites; pretty-printed UTF-8 with an XML declaration."""
    suites = root.findall("testsuite")
    for attribute in ("tests", "failures", "errors"):
        root.set(attribute, str(sum(int(suite.get(attribute, 0)) for suite in suites)))
    root.set("time", f"{sum(float(suite.get('time', 0)) for suite in suites):.3f}")
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
