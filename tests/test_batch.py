"""`kata grade` over a folder of submissions: parallel, one error never stops the batch,
reports written, and --resume skips what already has a scorecard."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from grader.batch import BatchOptions, expand, grade_batch
from grader.errors import UserError
from grader.interview.record import InterviewSession, Rating, save_session
from grader.options import GradeOptions


def test_batch_grades_everything_and_writes_reports(inbox, tmp_path):
    out = tmp_path / "reports"
    options = GradeOptions(kata_id="shop-api", seed=8)
    batch = BatchOptions(jobs=2, out=out, formats="json,junit,md,html,csv")
    cards = grade_batch([str(inbox / "*")], options, batch)
    scores = {Path(card.submission).name: card.score for card in cards}
    assert scores == {"alice": 100, "bob": 0, "carol.zip": 100, "dave.zip": 0}
    broken = next(card for card in cards if card.submission.endswith("dave.zip"))
    assert broken.status == "error" and "not a readable archive" in broken.error
    rows = list(csv.DictReader(
        line for line in (out / "summary.csv").read_text().splitlines() if line))
    assert len(rows) == 4 and "backend.stock" in rows[0]
    assert len(list(out.glob("*.junit.xml"))) == 5  # four submissions and the summary
    assert (out / "summary.html").is_file() and (out / "summary.md").is_file()

    session = InterviewSession(interviewer="ann", candidate="Bob", kata="shop-api", plan={},
                               started_at="2026-12-01T10:00:00+00:00", recommendation="no hire",
                               items={"discussion.walkthrough": Rating(rating=2, note="vague")})
    save_session(session, tmp_path / "ann.json")
    again = grade_batch([str(inbox / "*")], options,
                        BatchOptions(jobs=2, out=out, formats="json", resume=True,
                                     sessions=(tmp_path / "ann.json",)))
    first = {c.submission: c.durations.get("total") for c in cards if c.status == "graded"}
    second = {c.submission: c.durations.get("total") for c in again if c.status == "graded"}
    assert first == second, "--resume must reuse the scorecards, not grade again"
    joined = {Path(c.submission).name: c.interview for c in again}  # by candidate name
    assert joined["bob"].recommendations() == "ann: no hire"
    assert [k for k, interview in joined.items() if interview] == ["bob"]
    summary = json.loads((out / "summary.json").read_text())
    bob = next(c for c in summary["cards"] if c["submission"].endswith("bob"))
    assert bob["interview"]["sessions"][0]["recommendation"] == "no hire"


def test_unmatched_glob_is_bad_input(tmp_path):
    with pytest.raises(UserError, match="no submission matches"):
        expand([str(tmp_path / "*.zip")])


def test_json_scorecards_are_one_per_submission(inbox, tmp_path):
    out = tmp_path / "out"
    grade_batch([str(inbox / "alice"), str(inbox / "bob")],
                GradeOptions(seed=2), BatchOptions(jobs=1, out=out, formats="json"))
    cards = [json.loads(p.read_text()) for p in out.glob("*.json") if p.name != "summary.json"]
    assert sorted(c["score"] for c in cards) == [0, 100]


@pytest.mark.parametrize(("out", "message"), [
    ("notes.txt", "is a file, not a folder"),
    ("notes.txt/reports", "cannot make the report folder .*: Not a directory"),
])
def test_an_unusable_out_folder_is_bad_input_before_grading(tmp_path, out, message):
    (tmp_path / "notes.txt").write_text("an interviewer's notes")
    with pytest.raises(UserError, match=message):
        grade_batch([str(tmp_path)], GradeOptions(), BatchOptions(out=tmp_path / out))
    assert (tmp_path / "notes.txt").read_text() == "an interviewer's notes"
