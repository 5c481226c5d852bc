"""Interview plans: seed 003's timing model, exact minutes, level respected, kata parts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from grader.errors import UserError
from question_bank.bank import load_bank
from question_bank.kata_parts import load_kata_parts
from question_bank.models import Level
from question_bank.plan import build_plan, minute_range, pick_exact
from question_bank.sections import SECTIONS

runner = CliRunner()
TIMING = {s.id: s.minutes for s in SECTIONS}


@pytest.fixture(scope="module")
def questions():
    return load_bank([]).questions


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("minutes", [45, 50, 55, 60, 63, 70])
def test_minutes_add_up_exactly(questions, level, minutes) -> None:
    plan = build_plan(questions, level=level, minutes=minutes, seed=minutes)
    assert sum(block.minutes for block in plan.blocks) == minutes
    for block in plan.blocks:
        if block.kind == "questions":
            assert sum(item.minutes for item in block.items) == block.minutes, block.id
            low, high = TIMING[block.id]
            assert low <= block.minutes <= high
    # Blocks follow each other on the clock with no gap.
    starts = [block.start for block in plan.blocks]
    assert starts == [sum(b.minutes for b in plan.blocks[:i]) for i in range(len(plan.blocks))]


def test_seed_003_timing_model_at_the_shortest(questions) -> None:
    plan = build_plan(questions, minutes=45, seed=1)
    assert [(b.id, b.minutes) for b in plan.blocks] == [
        ("intro", 10), ("python", 5), ("api", 5), ("database", 5), ("workspace", 5),
        ("advanced", 10), ("candidate-questions", 5),
    ]


def test_problem_solving_joins_when_there_is_room(questions) -> None:
    plan = build_plan(questions, minutes=50, seed=1)
    assert "problem-solving" in [b.id for b in plan.blocks]
    assert plan.blocks[-1].id == "candidate-questions" and plan.blocks[-1].minutes == 5


def test_plan_never_exceeds_the_level(questions) -> None:
    for seed in range(10):
        plan = build_plan(questions, level=Level.junior, minutes=60, seed=seed)
        assert {item.question.level for item in plan.questions} == {Level.junior}
        mid = build_plan(questions, level=Level.mid, minutes=60, seed=seed)
        assert Level.senior not in {item.question.level for item in mid.questions}


def test_plan_prefers_the_level_asked(questions) -> None:
    for level in (Level.mid, Level.senior):
        minutes = [0, 0]
        for seed in range(10):
            plan = build_plan(questions, level=level, minutes=60, seed=seed)
            for block in plan.blocks:
                if block.id in ("python", "api", "database", "advanced"):
                    for item in block.items:
                        minutes[item.question.level == level] += item.question.minutes
        assert minutes[1] >= 0.75 * sum(minutes), (level, minutes)


def test_pick_exact_maximises_value_over_order(questions) -> None:
    pool = sorted((q for q in questions if q.section == "database"),
                  key=lambda q: q.level != Level.junior)  # juniors first in the order
    chosen = pick_exact(pool, 6, value=lambda q: q.minutes * (q.level == Level.senior))
    assert sum(q.minutes for q in chosen) == 6
    assert all(q.level == Level.senior for q in chosen)


def test_questions_come_from_their_section_without_repeats(questions) -> None:
    plan = build_plan(questions, level=Level.mid, minutes=70, seed=9)
    ids = [item.question.id for item in plan.questions]
    assert len(ids) == len(set(ids))
    for block in plan.blocks:
        assert all(item.question.section == block.id for item in block.items)


def test_seed_reproduces_and_varies(questions) -> None:
    def ids(seed: int) -> list[str]:
        return [i.question.id for i in build_plan(questions, minutes=60, seed=seed).questions]

    assert ids(5) == ids(5)
    assert len({tuple(ids(seed)) for seed in range(8)}) > 1


def test_minutes_outside_the_model_are_refused(questions) -> None:
    with pytest.raises(UserError, match="45 to 70 minutes"):
        build_plan(questions, minutes=44)
    with pytest.raises(UserError, match="45 to 70 minutes"):
        build_plan(questions, minutes=71)


def test_pick_exact_prefers_earlier_candidates_and_hits_the_target(questions) -> None:
    pool = [q for q in questions if q.section == "python"]
    for target in range(2, 12):
        chosen = pick_exact(pool, target)
        assert sum(q.minutes for q in chosen) == target
    assert pick_exact(pool[:1], 1) == []  # nothing fits: the caller trims the shortest


def test_kata_parts_are_read_from_kata_yaml(questions) -> None:
    kata = load_kata_parts("shop-api")
    assert [(p.id, p.minutes) for p in kata.parts] == [
        ("debugging", (15, 20)), ("backend", (10, 15)), ("api", (25, 30)),
        ("discussion", (10, 10)),
    ]
    low, high = minute_range(kata)
    assert (low, high) == (45 + 60, 70 + 75)
    plan = build_plan(questions, level=Level.junior, minutes=120, kata=kata, seed=2)
    live = [b for b in plan.blocks if b.kind == "livecoding"]
    assert [b.id for b in live] == [f"shop-api:{p.id}" for p in kata.parts]
    assert all(low <= b.minutes <= high
               for b, (low, high) in zip(live, [p.minutes for p in kata.parts], strict=True))
    assert sum(b.minutes for b in plan.blocks) == 120
    assert plan.blocks[-1].id == "candidate-questions"


def test_unknown_kata_and_broken_kata(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown kata 'nope' .known: .*shop-api"):
        load_kata_parts("nope")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "kata.yaml").write_text("id: bad\nparts:\n  - id: x\n    title: X\n"
                                               "    minutes: [20, 10]\n")
    with pytest.raises(UserError, match="minutes must be"):
        load_kata_parts("bad", root=tmp_path)


def test_plan_cli_markdown_has_timings_and_scorecard() -> None:
    result = runner.invoke(cli.app, ["plan", "--level", "junior", "--minutes", "60",
                                     "--seed", "4"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "| **Total** | **60** | |" in out
    assert "Reproduce with `kata plan --level junior --minutes 60 --seed 4`" in out
    for text in ("Hints used:", "Seen it before?", "Notes:", "Communication", "Problem solving",
                 "Technical competency", "Testing", "strong hire", "no hire", "strong no hire"):
        assert text in out, text


def test_plan_cli_json_with_kata() -> None:
    result = runner.invoke(cli.app, ["plan", "--kata", "shop-api", "--seed", "8", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kata"] == "shop-api" and data["seed"] == 8
    assert data["minutes"] == 125  # default: middle of 105-145, rounded to 5
    assert sum(block["minutes"] for block in data["blocks"]) == 125
    assert data["scorecard"]["ratings"] == {
        "communication": None, "problem solving": None, "technical competency": None,
        "testing": None,
    }
    assert data["scorecard"]["recommendations"] == [
        "strong hire", "hire", "no hire", "strong no hire"]
    question = data["blocks"][0]["questions"][0]
    assert {"key_points", "rubric", "hints", "notes", "hints_used", "seen_before"} <= set(question)


def test_plan_cli_errors_are_one_line() -> None:
    for args, needle in ((["--minutes", "30"], "do not fit"), (["--kata", "nope"], "unknown kata")):
        result = runner.invoke(cli.app, ["plan", *args])
        assert result.exit_code == 2
        assert result.output.startswith("error: ") and needle in result.output
        assert "Traceback" not in result.output


def test_plan_cli_writes_html_file(tmp_path: Path) -> None:
    out = tmp_path / "plans" / "plan.html"
    result = runner.invoke(cli.app, ["plan", "-f", "html", "-o", str(out), "--seed", "1"])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and 'name="overall"' in html
