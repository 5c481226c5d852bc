"""The quiz, driven non-interactively, and the progress store behind --due."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cli
from grader.errors import UserError
from question_bank.bank import load_bank
from question_bank.progress import ProgressStore, Record, data_dir, schedule
from question_bank.quiz import pick_questions, run_quiz, stream_reader

runner = CliRunner()
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own progress directory; never the real user's."""
    directory = tmp_path / "data"
    monkeypatch.setenv("KATA_DATA_DIR", str(directory))
    return directory


@pytest.fixture(scope="module")
def python_questions():
    return load_bank([]).filter(section="python")


def drive(questions, keys: str, store=None):
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False)
    result = run_quiz(questions, console, stream_reader(io.StringIO(keys), console), store=store,
                      now=NOW)
    return result, out.getvalue()


def test_quiz_reveals_then_records_ratings(python_questions, data_home: Path) -> None:
    chosen = python_questions[:3]
    store = ProgressStore.open()
    # q1: reveal, rate 1; q2: skip; q3: reveal, bad key, then rate 4.
    result, output = drive(chosen, "\n1\ns\n\nx\n4\n", store)
    assert result.ratings == {chosen[0].id: 1, chosen[2].id: 4}
    assert result.skipped == [chosen[1].id]
    assert not result.stopped_early
    assert chosen[0].short_answer.split()[0] in output  # the answer was revealed
    assert "Session summary" in output and "average 2.5 / 4" in output
    saved = json.loads((data_home / "progress.json").read_text())
    assert saved["questions"][chosen[0].id]["last_rating"] == 1
    assert saved["questions"][chosen[2].id]["reviews"] == 1
    assert chosen[1].id not in saved["questions"]


def test_quiz_hides_interviewer_material(python_questions) -> None:
    question = python_questions[0]
    _, output = drive([question], "\n3\n")
    assert question.rubric.strong not in output
    assert question.key_points[0] not in output
    assert all(hint not in output for hint in question.hints)


def test_quit_and_end_of_input_stop_early(python_questions) -> None:
    result, _ = drive(python_questions[:3], "\n2\nq\n")
    assert result.ratings == {python_questions[0].id: 2} and result.stopped_early
    result, _ = drive(python_questions[:3], "\n")  # input ends before the rating
    assert result.ratings == {} and result.stopped_early


def test_no_store_means_nothing_written(python_questions, data_home: Path) -> None:
    drive(python_questions[:1], "\n1\n", store=None)
    assert not (data_home / "progress.json").exists()


def test_schedule_again_is_due_now_and_good_pushes_out() -> None:
    again = schedule(Record(), 1, NOW)
    assert again.due_at() == NOW and again.lapses == 1 and again.ease < 2.5
    good = schedule(Record(), 3, NOW)
    assert good.due_at() == NOW + timedelta(days=1)
    later = schedule(good, 3, NOW)
    assert later.interval_days == pytest.approx(2.5)
    easy = schedule(Record(), 4, NOW)
    assert easy.interval_days == 4 and easy.ease > 2.5
    with pytest.raises(ValueError):
        schedule(Record(), 7, NOW)


def test_due_favours_badly_rated_questions(python_questions) -> None:
    store = ProgressStore.open()
    a, b, c, d = (q.id for q in python_questions[:4])
    store.rate(a, 3, NOW)          # due tomorrow
    store.rate(b, 1, NOW)          # due now, worst
    store.rate(c, 2, NOW)          # due in a day
    store.rate(d, 4, NOW)          # due in four days
    ids = [q.id for q in python_questions]
    assert store.due_ids(ids, NOW) == [b]
    assert store.due_ids(ids, NOW + timedelta(days=2)) == [b, c, a]
    picked = pick_questions(python_questions, 2, due=True, store=store,
                            now=NOW + timedelta(days=5))
    assert [q.id for q in picked] == [b, c]


def test_progress_survives_a_round_trip_and_is_keyed_by_id(data_home: Path) -> None:
    store = ProgressStore.open()
    store.rate("list-vs-tuple", 2, NOW)
    store.save()
    again = ProgressStore.open()
    assert again.records["list-vs-tuple"].last_rating == 2
    assert list(data_home.iterdir()) == [data_home / "progress.json"]  # no temp files left


def test_corrupt_progress_file_is_a_user_error(data_home: Path) -> None:
    data_home.mkdir()
    (data_home / "progress.json").write_text("{not json")
    with pytest.raises(UserError, match="cannot read progress file"):
        ProgressStore.open()


def test_data_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KATA_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "katabench"


def test_random_draw_is_seeded(python_questions) -> None:
    first = pick_questions(python_questions, 4, seed=11)
    assert first == pick_questions(python_questions, 4, seed=11)
    assert len(first) == 4 and len({q.id for q in first}) == 4


# --- through the CLI ---------------------------------------------------------------------


def test_cli_quiz_records_then_due_repeats_the_bad_one(data_home: Path) -> None:
    args = ["questions", "quiz", "--section", "database", "-n", "2", "--seed", "3"]
    first = runner.invoke(cli.app, [*args, "--json"], input="\n1\n\n4\n")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)  # the session itself went to stderr
    bad, good = summary["ratings"]
    assert summary["ratings"] == {bad: 1, good: 4} and summary["weak"] == [bad]

    due = runner.invoke(cli.app, ["questions", "quiz", "--due", "--json"], input="\n3\n")
    assert due.exit_code == 0, due.output
    again = json.loads(due.stdout)
    assert list(again["ratings"]) == [bad]

    nothing = runner.invoke(cli.app, ["questions", "quiz", "--due"])
    assert nothing.exit_code == 0 and "Nothing is due" in nothing.output


def test_cli_no_record_leaves_no_progress(data_home: Path) -> None:
    result = runner.invoke(cli.app, ["questions", "quiz", "-n", "1", "--no-record"],
                           input="\n2\n")
    assert result.exit_code == 0, result.output
    assert "Session summary" in result.output
    assert not (data_home / "progress.json").exists()


def test_cli_quiz_bad_section_is_one_line_error() -> None:
    result = runner.invoke(cli.app, ["questions", "quiz", "--section", "cooking"])
    assert result.exit_code == 2
    assert result.output.startswith("error: unknown section 'cooking'")
