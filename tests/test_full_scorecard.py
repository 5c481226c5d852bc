"""`kata grade --session`: interview sessions joined with the hidden-check scorecard. The joining
rules on synthetic cards; every report format, and the HTML in headless Chromium, on the user-api
reference graded once and rated by two interviewers."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import browser_page, page_fixture

from grader.errors import UserError
from grader.interview.card import minutes
from grader.interview.join import SessionFile, assign_sessions, join, load_sessions
from grader.interview.record import (
    BlockTime,
    InterviewSession,
    Rating,
    load_session,
    save_session,
)
from grader.reports import FORMATS, scorecard_name, write_reports
from grader.scaffold import write_solution
from grader.scoring import SCHEMA, CheckResult, ItemScore, Scorecard

page = page_fixture(scope="module")

PLAN = {
    "kata": "user-api",
    "blocks": [
        {"id": "python", "title": "Python", "kind": "questions", "minutes": 5, "questions": [
            {"id": "is-vs-equals", "question": "Tell `is` from `==`."},
            {"id": "gil", "question": "What does the GIL guard?"}]},
        {"id": "user-api:implement", "title": "Livecoding: Implement", "kind": "livecoding",
         "minutes": 35, "questions": []},
    ],
    "scorecard": {"ratings": {"communication": None, "testing": None}},
}
NOTE = "asked about ages & <b>uniqueness</b> first"


def session(interviewer: str, items: dict[str, tuple[int | None, str]],
            questions: dict[str, tuple[int | None, str]] | None = None,
            areas: dict[str, tuple[int | None, str]] | None = None,
            recommendation: str | None = "hire", reason: str = "", candidate: str = "alice",
            kata: str | None = "user-api", spent: tuple[float, float] = (300, 2100),
            workspace: str | None = None) -> InterviewSession:
    def ratings(given: dict[str, tuple[int | None, str]] | None) -> dict[str, Rating]:
        return {key: Rating(rating=r, note=n) for key, (r, n) in (given or {}).items()}

    blocks = [BlockTime(id=b["id"], title=b["title"], planned_minutes=b["minutes"],
                        spent_seconds=seconds)
              for b, seconds in zip(PLAN["blocks"], spent, strict=True)]
    return InterviewSession(interviewer=interviewer, candidate=candidate, kata=kata,
                            workspace=workspace, plan={**PLAN, "kata": kata},
                            started_at="2026-12-01T10:00:00+00:00",
                            elapsed_seconds=sum(spent), blocks=blocks, items=ratings(items),
                            questions=ratings(questions), areas=ratings(areas),
                            recommendation=recommendation, reason=reason, finished=True)


def found(record: InterviewSession, name: str | None = None) -> SessionFile:
    return SessionFile(Path(name or f"{record.interviewer}.json"), record)


def synthetic() -> Scorecard:
    passed = CheckResult("checks/test_crud.py::test_create", "passed")
    items = [ItemScore("must.crud", "CRUD works", "auto", 20, 20.0, (passed,)),
             ItemScore("discussion.questions", "Asked first", "manual", 6, 0.0, ()),
             ItemScore("discussion.structure", "Readable structure", "manual", 6, 0.0, ())]
    return Scorecard(kata="user-api", title="User API", submission="inbox/alice", layout=None,
                     database=None, seed=1, items=items)


def item(card: Scorecard, item_id: str) -> ItemScore:
    return next(i for i in card.items if i.id == item_id)


# --- joining -------------------------------------------------------------------------------


def test_one_interviewer_earns_points_by_rating_and_leaves_the_rest_unrated():
    card = join(synthetic(), [found(session("ann", {"discussion.questions": (3, NOTE)}))])
    rated = item(card, "discussion.questions")
    assert rated.earned == 4.0  # 6 points x (3 - 1) / (4 - 1)
    assert (rated.rated.mean, rated.rated.spread, rated.rated.calibrate) == (3, 0, False)
    assert item(card, "discussion.structure").earned == 0.0
    assert card.unrated == ["discussion.structure"]
    assert (card.score, card.manual_score, card.total, card.total_max) == (20, 4, 24, 32)
    assert card.total_summary() == ("24/32: auto 20/20 + manual 4/12; unrated: "
                                    "discussion.structure")


def test_several_interviewers_mean_spread_and_calibration_at_two_steps():
    ann = session("ann", {"discussion.questions": (4, ""), "discussion.structure": (2, "")},
                  questions={"is-vs-equals": (1, "mixed them up")},
                  areas={"communication": (3, "")}, recommendation="hire")
    bo = session("bo", {"discussion.questions": (3, ""), "discussion.structure": (4, "")},
                 questions={"is-vs-equals": (4, "")}, areas={"communication": (None, "late")},
                 recommendation="no hire")
    card = join(synthetic(), [found(ann), found(bo)])
    one_step, two_steps = item(card, "discussion.questions"), item(card, "discussion.structure")
    assert [g.interviewer for g in one_step.rated.given] == ["ann", "bo"]
    assert (one_step.rated.mean, one_step.rated.spread, one_step.rated.calibrate) == (3.5, 1,
                                                                                     False)
    assert (two_steps.rated.mean, two_steps.rated.spread, two_steps.rated.calibrate) == (3, 2,
                                                                                       True)
    assert one_step.earned == 5.0 and two_steps.earned == 4.0  # 6 x 2.5/3, 6 x 2/3
    question, = card.interview.questions  # "gil": nobody rated or noted it
    assert (question.id, question.text, question.spread, question.calibrate) == (
        "is-vs-equals", "Tell `is` from `==`.", 3, True)
    communication, testing = card.interview.areas
    assert (communication.mean, communication.spread) == (3, 0)  # bo's None is not a rating
    assert testing.ratings == [] and testing.mean is None
    assert [r.id for r in card.calibrations()] == ["discussion.structure", "is-vs-equals"]
    assert card.interview.recommendations() == "ann: hire · bo: no hire"
    assert card.unrated == [] and card.total == 29


def test_no_session_leaves_the_card_as_the_checks_gave_it():
    plain = synthetic()
    joined = join(plain, [found(session("ann", {"discussion.questions": (4, "")}))])
    assert joined != plain and join(joined, []) == plain  # a resumed card is joined afresh
    assert plain.total == plain.score and plain.total_summary() is None


@pytest.mark.parametrize(("sessions", "words"), [
    ([session("ann", {}, kata="shop-api")], ["ann.json is a session of kata shop-api",
                                            "inbox/alice is a submission of user-api"]),
    ([session("ann", {}), session("ann", {})], ["both ann's sessions"]),
    ([session("ann", {}), session("bo", {}, candidate="bob")], ["different candidates"]),
    ([session("ann", {"discussion.nope": (2, "")})], ["rates discussion.nope",
                                                     "no manual checklist item of user-api"]),
])
def test_sessions_that_do_not_fit_the_card_are_refused(sessions, words):
    files = [found(record, f"{record.interviewer}.json") if index == 0
             else found(record, f"{record.interviewer}-{index}.json")
             for index, record in enumerate(sessions)]
    with pytest.raises(UserError) as error:
        join(synthetic(), files)
    assert all(word in error.value.message for word in words), error.value.message
    assert "\n" not in error.value.message


def test_sessions_go_to_the_submission_their_candidate_or_workspace_names(tmp_path):
    paths = [tmp_path / "inbox" / "Alice.zip", tmp_path / "inbox" / "bob"]
    by_name = found(session("ann", {}, candidate="alice"))
    by_workspace = found(session("bo", {}, candidate="Robert", workspace="/home/bo/ws/bob"))
    assigned = assign_sessions(paths, [by_name, by_workspace])
    assert assigned == {paths[0]: [by_name], paths[1]: [by_workspace]}
    assert assign_sessions(paths[:1], [by_workspace]) == {paths[0]: [by_workspace]}
    stranger = found(session("cy", {}, candidate="carol"), "cy.json")
    with pytest.raises(UserError, match=r"^cy\.json: .*'carol' fits none of the submissions"):
        assign_sessions(paths, [stranger])
    twice = [tmp_path / "a" / "alice", tmp_path / "b" / "alice.tar.gz"]
    with pytest.raises(UserError, match="fits .*alice and .*alice.tar.gz"):
        assign_sessions(twice, [by_name])


def test_a_broken_session_file_is_one_sentence(tmp_path):
    (tmp_path / "s.json").write_text('{"schema": "katabench.interview/1"}')
    with pytest.raises(UserError, match=r"s\.json: not a katabench\.interview/1 session file"):
        load_sessions([tmp_path / "s.json"])


def test_cli_refuses_a_session_of_another_kata_before_grading(tmp_path):
    workspace = write_solution("user-api", tmp_path / "alice").path
    save_session(session("ann", {}, kata="shop-api"), tmp_path / "ann.json")
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "cli", "grade", str(workspace), "--session",
                             str(tmp_path / "ann.json")], capture_output=True, text=True,
                            env=env, timeout=60, cwd=Path(__file__).parent.parent)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'ann.json'} is a session of kata shop-api, but {workspace} is a "
        "submission of user-api"]


# --- the user-api reference, graded once, rated by two interviewers ------------------------


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, grade) -> Scorecard:
    return grade(write_solution("user-api", tmp_path_factory.mktemp("ref") / "alice").path,
                 seed=5)


ANN = session("ann", {"discussion.questions": (4, NOTE),
                     "discussion.tradeoffs": (2, "memory only")},
              questions={"is-vs-equals": (3, "knew the small-int cache")},
              areas={"communication": (4, "clear")}, recommendation="hire",
              reason="solid API <script>x</script>", spent=(330, 2220))
BO = session("bo", {"discussion.questions": (3, ""), "discussion.tradeoffs": (4, "weighed files")},
             questions={"is-vs-equals": (4, "")}, areas={"communication": (3, "")},
             recommendation="strong hire", reason="best this month", spent=(300, 1800))


@pytest.fixture(scope="module")
def reports(graded: Scorecard, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("full")
    for record in (ANN, BO):
        save_session(record, folder / f"{record.interviewer}.json")
    card = join(graded, load_sessions([folder / "ann.json", folder / "bo.json"]))
    out = folder / "out"
    write_reports([card, graded], out, list(FORMATS))  # one rated card, one without sessions
    return card, out, scorecard_name(card)


def test_the_total_says_auto_and_manual(reports):
    card, _, _ = reports
    assert card.score == card.max_score == 100 and card.manual_max == 15
    assert card.manual_score == 7.5  # questions 5 x 2.5/3, tradeoffs 5 x 2/3
    assert card.total_summary() == ("107.5/115: auto 100/100 + manual 7.5/15; unrated: "
                                    "discussion.structure")


def test_json_carries_the_interview_and_round_trips(reports):
    card, out, name = reports
    data = json.loads((out / f"{name}.json").read_text("utf-8"))
    assert data["schema"] == SCHEMA == "katabench.scorecard/4"
    assert data["total"] == {"score": 107.5, "max": 115, "auto": 100, "auto_max": 100,
                             "manual": 7.5, "manual_max": 15,
                             "unrated": ["discussion.structure"]}
    tradeoffs = next(i for i in data["items"] if i["id"] == "discussion.tradeoffs")
    assert tradeoffs["earned"] == 3.33 and tradeoffs["rated"]["calibrate"] is True
    assert tradeoffs["rated"]["ratings"] == [
        {"interviewer": "ann", "rating": 2, "note": "memory only"},
        {"interviewer": "bo", "rating": 4, "note": "weighed files"}]
    sessions = data["interview"]["sessions"]
    assert [(s["interviewer"], s["recommendation"]) for s in sessions] == [
        ("ann", "hire"), ("bo", "strong hire")]
    assert sessions[0]["blocks"][1] == {"id": "user-api:implement",
                                        "title": "Livecoding: Implement",
                                        "planned_minutes": 35, "spent_seconds": 2220.0}
    assert Scorecard.from_json(data).to_json() == data == json.loads(json.dumps(card.to_json()))
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert [c["total"]["score"] for c in summary["cards"]] == [107.5, 100]  # ranked by total
    assert summary["cards"][1]["interview"] is None


def test_markdown_carries_ratings_notes_verdicts_and_times(reports):
    _, out, name = reports
    text = (out / f"{name}.md").read_text("utf-8")
    assert "**Total: 107.5/115: auto 100/100 + manual 7.5/15; unrated: discussion.structure**" \
        in text
    assert "| ann | hire | solid API \\<script\\>x\\</script\\> | 42.5 min | yes |" in text
    assert ("| Explains the trade-offs of storage, ids and error handling "
            "`discussion.tradeoffs` | 2 | 4 | 3 | 2 | ⚑ calibrate |") in text
    assert "- `discussion.questions` · ann: asked about ages \\& \\<b\\>uniqueness\\</b\\> first" \
        in text
    assert "| Livecoding: Implement | 35 min | 37.0 min | 30.0 min |" in text
    summary = (out / "summary.md").read_text("utf-8")
    assert "| 107.5 / 115 | ann: hire · bo: strong hire |" in summary


def test_junit_carries_ratings_notes_verdicts_and_times(reports):
    _, out, name = reports
    root = ET.parse(out / f"{name}.junit.xml").getroot()
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    rated = suites["discussion.tradeoffs"].find("testcase")
    assert rated.find("skipped") is None
    assert rated.find("system-out").text.splitlines() == [
        "ann 2, bo 4 · mean 3, spread 2 · calibrate", "ann: memory only", "bo: weighed files"]
    assert suites["discussion.structure"].find("testcase/skipped") is not None  # unrated
    interview = suites["interview"]
    properties = {p.get("name"): p.get("value") for p in interview.find("properties")}
    assert properties["recommendation:ann"] == "hire: solid API <script>x</script>"
    assert properties["time:user-api:implement"] == "35 min planned; ann 37.0 min, bo 30.0 min"
    cases = {case.get("name"): case for case in interview.findall("testcase")}
    assert "ann: knew the small-int cache" in cases["is-vs-equals"].find("system-out").text
    assert cases["testing"].find("skipped") is not None
    summary = ET.parse(out / "summary.junit.xml").getroot().find("testsuite")
    properties = {p.get("name"): p.get("value") for p in summary.find("properties")}
    assert properties["recommendations"] == "ann: hire · bo: strong hire"
    assert properties["total"].startswith("107.5/115")


def test_csv_carries_the_total_and_every_rating_note_verdict_and_time(reports):
    _, out, _ = reports
    with open(out / "summary.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["total"], r["manual"], r["recommendations"]) for r in rows] == [
        ("107.5", "7.5", "ann: hire · bo: strong hire"), ("", "", "")]
    assert rows[0]["calibrate"] == "discussion.tradeoffs"
    assert (rows[0]["discussion.tradeoffs"], rows[1]["discussion.tradeoffs"]) == ("3.33", "")
    with open(out / "ratings.csv", newline="", encoding="utf-8") as stream:
        ratings = list(csv.DictReader(stream))
    submission = rows[0]["submission"]
    assert {"submission": submission, "interviewer": "ann", "kind": "item",
            "id": "discussion.questions",
            "text": "Asked clarifying questions before coding (uniqueness, ages, persistence, "
                    "limits)", "rating": "4", "note": NOTE, "planned_minutes": "",
            "spent_seconds": ""} in ratings
    kinds = {(r["interviewer"], r["kind"], r["id"], r["rating"], r["note"], r["spent_seconds"])
             for r in ratings}
    assert ("bo", "recommendation", "", "strong hire", "best this month", "2100.0") in kinds
    assert ("ann", "block", "user-api:implement", "", "", "2220.0") in kinds
    assert ("bo", "area", "communication", "3", "", "") in kinds
    assert not any(r["id"] == "discussion.structure" for r in ratings)  # unrated, unnoted


def test_html_card_in_browser_shows_ratings_notes_verdicts_times_and_checklist(page, reports):
    _, out, name = reports
    page.goto((out / f"{name}.html").as_uri())
    assert page.blocked_urls == [] and page.console_errors == []
    assert page.locator("script").count() == 0  # the reason's <script> is text
    assert page.locator("#total").inner_text() == (
        "Total 107.5 / 115: auto 100 / 100 + manual 7.5 / 15 · unrated: discussion.structure")
    checklist = page.locator("#items article")
    assert checklist.count() == 16  # 13 auto items with their checks, 3 manual ones
    assert page.locator("#item-must\\.crud .points").inner_text() == "20 / 20"
    tradeoffs = page.locator("#item-discussion\\.tradeoffs")
    assert tradeoffs.locator(".points").inner_text() == "3.33 / 5"
    assert tradeoffs.locator(".rating").all_inner_texts() == ["ann 2 memory only",
                                                              "bo 4 weighed files"]
    assert tradeoffs.locator(".badge.calibrate").is_visible()
    assert NOTE in page.locator("#item-discussion\\.questions").inner_text()
    verdicts = page.locator("#recommendations tr.verdict")
    assert verdicts.all_inner_texts() == [
        "ann\tHIRE\tsolid API <script>x</script>\t42.5 min\tyes",
        "bo\tSTRONG HIRE\tbest this month\t35.0 min\tyes"]
    question = page.locator("#rated-questions-is-vs-equals td")
    assert question.all_inner_texts() == ["Tell `is` from `==`. is-vs-equals", "3", "4", "3.5",
                                          "1", ""]
    assert page.locator("#ratings-areas tr.calibrate").count() == 0
    assert "bo: weighed files" in page.locator("#interview-notes").inner_text()
    implement = page.locator("#times tr.block").nth(1).locator("td")
    assert implement.all_inner_texts() == ["Livecoding: Implement", "35 min", "37.0 min",
                                           "30.0 min"]


def test_html_summary_ranks_by_total_with_recommendations(page, reports):
    _, out, _ = reports
    page.goto((out / "summary.html").as_uri())
    rows = page.locator("#ranking tbody tr")
    assert rows.nth(0).locator("td.total").inner_text() == "107.5 / 115"
    assert rows.nth(0).locator("td.recommendations").inner_text() == "ann: hire · bo: strong hire"
    assert rows.nth(1).locator("td.total").inner_text() == "100 / 115"


# --- the final report of an interview run in tmux (tests/test_interview.py) ----------------


def assert_interview_report(workspace: Path, record: Path, out: Path, tmpdir: Path) -> None:
    """`kata grade WS --session FILE` of an interview that was run, its HTML in Chromium: the
    ratings, notes, recommendation, times and checklist the session and the checks hold."""
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmpdir)}
    result = subprocess.run([sys.executable, "-m", "cli", "grade", str(workspace), "--session",
                             str(record), "--out", str(out), "--format", "json,html"],
                            capture_output=True, text=True, env=env, timeout=180,
                            cwd=Path(__file__).parent.parent)
    assert result.returncode == 0, result.stderr
    session = load_session(record)
    card = next(json.loads(p.read_text()) for p in out.glob("*.json") if p.stem != "summary")
    with browser_page() as page:
        page.goto((out / f"{scorecard_name(Scorecard.from_json(card))}.html").as_uri())
        assert page.blocked_urls == [] and page.console_errors == []
        assert page.locator("#items article").count() == len(card["items"])  # the checklist
        assert page.locator("#score").inner_text() == f"{card['score']:g}"
        for kind, rated in (("questions", session.questions), ("areas", session.areas)):
            for key, rating in rated.items():
                row = page.locator(f'[id="rated-{kind}-{key.replace(" ", "-")}"] td')
                if rating.rating is not None:
                    assert row.nth(1).inner_text() == str(rating.rating), key
                if rating.note:
                    assert f"{session.interviewer}: {rating.note}" in page.locator(
                        "#interview-notes").inner_text()
        verdict = page.locator("#recommendations tr.verdict td").all_inner_texts()
        assert verdict[:3] == [session.interviewer, session.recommendation.upper(),
                               session.reason]
        times = page.locator("#times tr.block")
        assert times.count() == len(session.blocks)
        for index, block in enumerate(session.blocks):
            assert times.nth(index).locator("td").all_inner_texts() == [
                block.title, f"{block.planned_minutes} min", minutes(block.spent_seconds)]
