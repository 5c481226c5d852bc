"""`kata interview`: the rules of the state (where a key goes, what it rates, the clock) without
a terminal, the screen at 80×24 without colour, bad input in one sentence, and one interview end
to end in tmux: rated, noted, the terminal killed, resumed, left with Ctrl-C, resumed, finished."""

from __future__ import annotations

import io
import json
import shlex
import sys
import time

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli import app
from grader.interview.app import decode_keys
from grader.interview.plan_view import build_plan_json
from grader.interview.record import load_session
from grader.interview.screen import KEYS, screen
from grader.interview.start import manual_items
from grader.interview.state import CLOCK_SAVE_SECONDS, Interview, ManualItem, new_session
from grader.scaffold import start_workspace
from question_bank.plan import RATING_AREAS
from tests.test_full_scorecard import assert_interview_report
from tests.test_watch import ROOT, sandbox_tmp, session_members, tmux, wait_until

__all__ = ["sandbox_tmp", "tmux"]  # fixtures, shared with the watch's tmux test


def question(qid: str) -> dict:
    return {"id": qid, "question": f"What about {qid}?", "short_answer": f"{qid} is so.",
            "follow_ups": [f"And {qid} later?"], "planned_minutes": 2}


PLAN = {
    "level": "mid", "minutes": 10, "seed": 1, "kata": "k",
    "blocks": [
        {"id": "python", "title": "Python", "kind": "questions", "minutes": 4, "work": None,
         "questions": [question("gil"), question("decorators")]},
        {"id": "k:one", "title": "Livecoding: one", "kind": "livecoding", "minutes": 3,
         "work": "Write one.", "questions": []},
        {"id": "k:two", "title": "Livecoding: two", "kind": "livecoding", "minutes": 2,
         "work": "Write two.", "questions": []},
        {"id": "candidate-questions", "title": "Questions", "kind": "candidate-questions",
         "minutes": 1, "work": None, "questions": []},
    ],
}
MANUAL = [ManualItem("one.style", "Style of one", "one"), ManualItem("any.talk", "Talks", None)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def interview(clock: Clock | None = None) -> Interview:
    session = new_session(PLAN, "ana", "bo", None, MANUAL)
    return Interview(session, MANUAL, clock=clock or Clock())


def press(state: Interview, *keys: str) -> list:
    return [state.press(key) for key in keys]


def test_a_new_session_lists_everything_to_rate_unrated():
    session = interview().session
    assert list(session.questions) == ["gil", "decorators"]
    assert list(session.items) == ["one.style", "any.talk"]
    assert list(session.areas) == list(RATING_AREAS)
    assert all(r.rating is None and r.note == "" for r in session.questions.values())
    assert [(b.id, b.planned_minutes) for b in session.blocks] == [
        ("python", 4), ("k:one", 3), ("k:two", 2), ("candidate-questions", 1)]


def test_each_block_lists_what_is_rated_in_it():
    state = interview()
    seen = []
    for _ in PLAN["blocks"]:
        seen.append([(e.kind, e.key) for e in state.entries])
        state.press("right")
    assert seen == [
        [("question", "gil"), ("question", "decorators")],
        [("item", "one.style")],
        [("item", "any.talk")],  # no part of its own in the plan: the last livecoding block
        [*(("area", area) for area in RATING_AREAS), ("recommendation", "recommendation")],
    ]


def test_navigation_stays_inside_the_blocks_and_only_a_block_change_is_recorded():
    state = interview()
    assert [o.changed for o in press(state, "up", "down", "down", "down")] == [False] * 4
    assert state.cursor == 1
    first = state.press("left")
    assert not first.changed and first.message and state.block_index == 0
    moved = state.press("right")
    assert moved.changed and state.session.current_block == 1 and state.cursor == 0
    press(state, "right", "right")
    last = state.press("right")
    assert not last.changed and state.block_index == 3


def test_keys_rate_and_unrate_questions_items_areas_and_recommend():
    state = interview()
    assert [o.changed for o in press(state, "3", "down", "4", "0", "2")] == [
        True, False, True, True, True]
    assert {k: r.rating for k, r in state.session.questions.items()} == {"gil": 3,
                                                                          "decorators": 2}
    press(state, "right", "1")
    assert state.session.items["one.style"].rating == 1
    press(state, "right", "right", "4", "down", "2")
    assert state.session.areas["communication"].rating == 4
    assert state.session.areas["problem solving"].rating == 2
    press(state, *["down"] * 3, "4")
    assert state.session.recommendation == "strong hire"
    press(state, "1")
    assert state.session.recommendation == "strong no hire"
    press(state, "0")
    assert state.session.recommendation is None
    assert not state.press("9").changed


def test_a_note_takes_every_key_while_typed_even_digits_and_q():
    state = interview()
    press(state, "down", "enter")
    assert state.editing
    outcomes = press(state, "q", "4", " ", "o", "k", "backspace", "x")
    assert all(o.changed and o.leave is None for o in outcomes)
    assert state.session.questions["decorators"].note == "q4 ox"
    assert state.session.questions["decorators"].rating is None
    press(state, "esc")
    assert not state.editing
    assert state.press("q").leave == "quit"
    assert state.press("ctrl-c").leave == "interrupt"


def test_the_reason_is_the_recommendations_note_and_finishing_needs_both():
    state = interview()
    press(state, "right", "right", "right", *["down"] * 4)
    refused = state.press("F")
    assert refused.leave is None and not state.session.finished and refused.message
    press(state, "3", "enter", *"solid", "enter")
    assert (state.session.recommendation, state.session.reason) == ("hire", "solid")
    done = state.press("F")
    assert done.changed and done.leave == "finish" and state.session.finished


def test_the_clock_counts_into_the_current_block_and_warns_when_it_runs_over():
    clock = Clock()
    state = interview(clock)
    clock.now += 100
    state.tick()
    state.press("right")  # the time so far is the first block's
    clock.now += 200
    assert state.tick()  # well past CLOCK_SAVE_SECONDS unsaved: the clock is due
    state.saved()
    clock.now += CLOCK_SAVE_SECONDS / 2
    assert not state.tick()
    spent = [round(b.spent_seconds, 6) for b in state.session.blocks]
    assert spent == [100, 200 + CLOCK_SAVE_SECONDS / 2, 0, 0]
    assert state.session.elapsed_seconds == pytest.approx(300 + CLOCK_SAVE_SECONDS / 2)
    assert state.block_left() == pytest.approx(3 * 60 - 202.5)  # ran over: negative
    assert state.overall_left() == pytest.approx(10 * 60 - 302.5)


def test_a_pause_stops_the_clock_until_p_again():
    clock = Clock()
    state = interview(clock)
    clock.now += 10
    assert state.press("p").changed and state.paused  # saved: the 10 s are in the record
    assert state.session.elapsed_seconds == 10
    clock.now += 300
    assert not state.tick() and state.session.elapsed_seconds == 10
    state.press("p")
    clock.now += 5
    state.tick()
    assert state.session.elapsed_seconds == 15 and state.session.blocks[0].spent_seconds == 15


def test_a_resumed_interview_goes_on_from_its_clock_not_from_the_wall():
    clock = Clock()
    state = interview(clock)
    clock.now += 42
    state.press("right")
    saved = state.session.model_copy(deep=True)
    clock.now += 3600  # the app was not running
    resumed = Interview(saved, MANUAL, clock=clock)
    assert (resumed.block_index, resumed.session.elapsed_seconds) == (1, 42)
    clock.now += 8
    resumed.tick()
    assert resumed.session.elapsed_seconds == 50
    assert resumed.session.blocks[1].spent_seconds == 8


def test_the_shipped_kata_plan_puts_its_manual_items_in_the_discussion():
    plan = build_plan_json("mid", None, "shop-api", 3, None)
    manual = manual_items("shop-api")
    state = Interview(new_session(plan, "a", "b", None, manual), manual)
    while state.block.id != "shop-api:discussion":
        state.press("right")
    assert [e.key for e in state.entries] == ["discussion.walkthrough", "discussion.code_quality"]


def test_keys_from_the_terminal():
    assert decode_keys("\x1b[A\x1bOB\x1b[C\x1b[D\r\n\x7f\x08\x03\x1b") == [
        "up", "down", "right", "left", "enter", "enter", "backspace", "backspace", "ctrl-c",
        "esc"]
    assert decode_keys("a3é\x1b[1;5C\x1b[15~F") == ["a", "3", "é", "F"]  # others dropped
    assert decode_keys("\x1b[200~a\nq\x1b[201~") == ["paste-start", "a", "enter", "q",
                                                      "paste-end"]


def test_the_screen_fits_80_by_24_without_colour_and_shows_keys_and_overrun():
    clock = Clock()
    state = interview(clock)
    press(state, "3", "enter", *"terse")
    clock.now += 5 * 60  # the 4-minute block ran over
    state.tick()
    console = Console(width=80, height=24, file=io.StringIO(), color_system=None, record=True)
    console.print(screen(state, can_check=True))
    lines = console.export_text().splitlines()
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    assert "Block 1/4: Python (4 min)" in text and "01:00 over" in text and "OVER" in text
    assert "> [3]* What about gil?" in text and "Note: terse_" in text
    assert "Answer: gil is so." in text and "Follow-up: And gil later?" in text
    assert "typing the note" in lines[-1]
    press(state, "enter", "right")
    console.print(screen(state, can_check=True))
    text = console.export_text()
    assert KEYS[0] in text and "kata check: not run yet" in text and "Work: Write one." in text


def test_bad_input_is_one_sentence_and_exit_code_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "not-a-plan.json").write_text('{"level": "mid"}')
    (tmp_path / "bad-session.json").write_text('{"schema": "katabench.interview/1"}')
    (tmp_path / "taken.json").write_text("{}")
    who = ["--interviewer", "a", "--candidate", "b"]
    cases = {
        "no such plan file": ["--plan", "missing.json", *who, "--session", "s1.json"],
        "not a plan from `kata plan --format json` (minutes": [
            "--plan", "not-a-plan.json", *who, "--session", "s2.json"],
        "not a katabench.interview/1 session file": ["--resume", "bad-session.json"],
        "no such session file": ["--resume", "gone.json"],
        "unknown kata": ["--kata", "no-such-kata", *who, "--session", "s3.json"],
        "already exists": ["--plan", "not-a-plan.json", *who, "--session", "taken.json"],
        "--resume takes the session file alone": ["--resume", "taken.json", "--seed", "3"],
        "give --candidate": ["--interviewer", "a", "--session", "s5.json"],
        "run it in a terminal": ["--minutes", "60", *who, "--session", "s4.json"],
    }
    for expected, args in cases.items():
        result = CliRunner().invoke(app, ["interview", *args])
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1, (args, result.stderr)
        assert lines[0].startswith("error: ") and expected in lines[0], lines[0]
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not any((tmp_path / f"s{n}.json").exists() for n in range(1, 6))


# --- end to end in tmux -----------------------------------------------------------------------

def test_an_interview_in_tmux_killed_resumed_interrupted_and_finished(
        tmux, tmp_path, sandbox_tmp, private_runtime_dir):
    workspace = start_workspace("shop-api", tmp_path / "ws").path
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(build_plan_json("mid", None, "shop-api", 3, None)))
    record = tmp_path / "bo.json"
    first = next(q["id"] for b in json.loads(plan.read_text())["blocks"] for q in b["questions"])

    def launch(*args: str) -> int:
        command = shlex.join([sys.executable, "-m", "cli", "interview", *args])
        tmux("new-session", "-d", "-s", "watch", "-x", "80", "-y", "24", "-c", str(ROOT),
             "env", "-u", "COLUMNS", "-u", "LINES", f"XDG_RUNTIME_DIR={private_runtime_dir}",
             f"TMPDIR={sandbox_tmp}", "NO_COLOR=1", "sh", "-c",
             f'{command}; echo "interview exited with $?"; sleep 60')
        return tmux.shell()

    def keys(*names: str) -> None:
        tmux("send-keys", "-t", "watch", *names)

    def text(typed: str) -> None:
        tmux("send-keys", "-t", "watch", "-l", typed)

    def saved(condition) -> dict:
        assert wait_until(lambda: record.exists() and condition(load_session(record)), 15), \
            f"the record never got there: {record.read_text()}\nthe pane:\n{tmux.pane()}"
        return load_session(record)

    # A session of its own keeps the tmux server up while the interview's is killed and made
    # again: a server on its way out refuses new sessions.
    tmux("new-session", "-d", "-s", "keep", "sleep", "300")
    launch("--plan", str(plan), "--interviewer", "ana", "--candidate", "bo",
           "--session", str(record), "--workspace", str(workspace))
    tmux.wait_for("Block 1/12: Introduction")
    assert "Enter note" in tmux.pane() and "Answer:" in tmux.pane()
    # What the screen shows is on disk already: the file is read the moment the screen has it.
    keys("3")
    tmux.wait_for("> [3]  ")
    assert load_session(record).questions[first].rating == 3
    keys("Enter")
    text("clear, brief; 4 years")
    tmux.wait_for("Note: clear, brief; 4 years_")
    assert load_session(record).questions[first].note == "clear, brief; 4 years"
    keys("Escape", "Down", "2")
    saved(lambda s: sum(r.rating == 2 for r in s.questions.values()) == 1)
    keys(*["Right"] * 7, "c")  # the first livecoding block, and kata check on the workspace
    tmux.wait_for("Block 8/12: Livecoding: Debugging & logic")
    tmux.wait_for("kata check (", seconds=60)
    assert "/100" in tmux.pane() and "find_user_by_email" in tmux.pane(), tmux.pane()

    shell = tmux.shell()
    tmux("kill-session", "-t", "watch")  # the terminal closes under the app: SIGHUP
    assert wait_until(lambda: not session_members(shell)), session_members(shell)
    killed = load_session(record)
    assert killed.current_block == 7 and not killed.finished
    assert killed.questions[first].note == "clear, brief; 4 years"
    assert killed.blocks[7].spent_seconds > 0 and killed.elapsed_seconds > 0

    time.sleep(1)  # the app is not running: this second does not count
    resumed_at = time.monotonic()
    launch("--resume", str(record))
    tmux.wait_for("Block 8/12: Livecoding: Debugging & logic")
    keys("Right")
    again = saved(lambda s: s.current_block == 8)
    assert killed.elapsed_seconds < again.elapsed_seconds \
        < killed.elapsed_seconds + (time.monotonic() - resumed_at)
    assert again.blocks[7].spent_seconds > killed.blocks[7].spent_seconds
    assert again.questions == killed.questions
    keys("C-c")
    tmux.wait_for("interview exited with 130")
    tmux("kill-session", "-t", "watch")

    launch("--resume", str(record))
    tmux.wait_for("Block 9/12")
    keys(*["Right"] * 3)
    tmux.wait_for("Block 12/12")
    keys("4", "Down", "3")
    saved(lambda s: s.areas["problem solving"].rating == 3)
    keys("F")
    tmux.wait_for("to finish, pick a recommendation")
    keys(*["Down"] * 3, "3", "Enter")
    tmux("set-buffer", "solid API work\nslow on tests")  # a paste: its newline is a space
    tmux("paste-buffer", "-p", "-t", "watch")
    tmux.wait_for("Reason: solid API work slow on tests_")
    keys("Enter", "F")
    tmux.wait_for("interview exited with 0")
    done = load_session(record)
    assert done.finished and done.recommendation == "hire"
    assert done.reason == "solid API work slow on tests"
    assert {a: r.rating for a, r in done.areas.items()} == {
        "communication": 4, "problem solving": 3, "technical competency": None, "testing": None}
    assert done.questions[first] == killed.questions[first]
    assert done.elapsed_seconds >= again.elapsed_seconds and "Traceback" not in tmux.pane()
    # Its final report: the session joined with the workspace's checks, in headless Chromium.
    assert_interview_report(workspace, record, tmp_path / "reports", sandbox_tmp)
