"""Loader and lint: the shipped bank is clean; every class of problem is reported as
`file:line: problem` at the right line; user banks layer over the shipped one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from grader.errors import UserError
from question_bank.bank import build_bank, load_bank
from question_bank.loader import DATA_DIR, read_file
from question_bank.models import LEVEL_ORDER, Kind
from question_bank.sections import SECTION_IDS

runner = CliRunner()
SEEDS = {
    "000_3bed4fecd74844d2.txt", "001_10b7a1657e08c9fc.txt", "002_078fff13c304cd21.txt",
    "003_eb6a367a9683ccf3.txt", "004_42081e49fb5549bd.txt",
}


def question(qid: str = "sample-question", **fields: str) -> str:
    """One valid question as YAML text (15 lines), with fields replaced or added verbatim."""
    base = {
        "id": qid,
        "section": "python",
        "question": "What is a sample?",
        "short_answer": "A small example.",
        "answer": "A sample is a small example.",
        "key_points": "[Knows what a sample is]",
        "rubric": "{strong: Precise, adequate: Vague, weak: Wrong}",
        "hints": "[Think small]",
        "follow_ups": "[Why samples?]",
        "level": "junior",
        "difficulty": "1",
        "kind": "theory",
        "tags": "[sample]",
        "minutes": "2",
        "source": "003_eb6a367a9683ccf3.txt",
    }
    base.update(fields)
    lines = [f"{key}: {value}" for key, value in base.items() if value is not None]
    return "- " + "\n  ".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in build_bank([path]).problems]


# --- the shipped bank -----------------------------------------------------------------------


def test_shipped_bank_is_clean_and_big_enough() -> None:
    bank = build_bank([DATA_DIR])
    assert bank.problems == []
    questions = bank.questions
    assert len(questions) >= 80
    assert {q.section for q in questions} == set(SECTION_IDS)
    assert {q.level for q in questions} == set(LEVEL_ORDER)
    assert {q.kind for q in questions} == set(Kind)
    assert {q.source for q in questions} <= SEEDS
    assert {q.source for q in questions} == SEEDS  # every seed is covered


def test_shipped_files_are_one_per_section() -> None:
    for path in sorted(DATA_DIR.glob("*.yaml")):
        sections = {item.question.section for item in read_file(path).questions}
        assert sections == {path.stem}, path.name


def test_every_seed_003_section_has_junior_questions() -> None:
    # A junior plan must be fillable from every section.
    questions = load_bank([]).questions
    for section in SECTION_IDS:
        assert any(q.section == section and q.level.value == "junior" for q in questions), section


# --- each class of problem, at its line --------------------------------------------------------


def test_valid_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, question("one") + question("two"))
    bank = build_bank([path])
    assert bank.problems == []
    assert [q.id for q in bank.questions] == ["one", "two"]


def test_yaml_syntax_error_reports_its_line(tmp_path: Path) -> None:
    text = question("one") + "- id: two\n  question: [unclosed\n  level: junior\n"
    [(line, message)] = problems_of(write(tmp_path, text))
    assert message.startswith("invalid YAML")
    assert line in (17, 18)  # the unclosed flow sequence opens on line 17


def test_top_level_must_be_a_list(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, "id: lonely\nquestion: Where is the list?\n"))
    assert (line, message) == (1, "the file must be a YAML list of questions")


def test_missing_field_points_at_the_question(tmp_path: Path) -> None:
    text = question("one") + question("two", rubric=None)
    [(line, message)] = problems_of(write(tmp_path, text))
    assert line == 16  # second question starts after the first one's 15 lines
    assert message == "question 'two': missing field 'rubric'"


def test_unknown_field_points_at_the_key(tmp_path: Path) -> None:
    text = question("one", folow_ups="[typo]")
    [(line, message)] = problems_of(write(tmp_path, text))
    assert line == 16
    assert message == "question 'one': unknown field 'folow_ups'"


def test_bad_value_points_at_the_key(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, question("one", difficulty="9")))
    assert line == 11
    assert "field 'difficulty'" in message and "5" in message


def test_unknown_section(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, question("one", section="cooking")))
    assert line == 2
    assert message.startswith("question 'one': unknown section 'cooking' (known: intro, python")


def test_unknown_level(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, question("one", level="expert")))
    assert line == 10
    assert message == "question 'one': unknown level 'expert' (known: junior, mid, senior)"


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    path = write(tmp_path, question("same") + question("other") + question("same"))
    [(line, message)] = problems_of(path)
    assert line == 31
    assert message == "duplicate id 'same' (first at " + f"{path}:1)"


def test_duplicate_id_across_files_of_one_bank(tmp_path: Path) -> None:
    write(tmp_path, question("same"), "a.yaml")
    write(tmp_path, question("same"), "b.yaml")
    [problem] = build_bank([tmp_path]).problems
    assert problem.path.name == "b.yaml" and "duplicate id 'same'" in problem.message


def test_field_given_twice(tmp_path: Path) -> None:
    text = question("one") + "  minutes: 3\n"
    [(line, message)] = problems_of(write(tmp_path, text))
    assert (line, message) == (16, "field 'minutes' given twice")


def test_unknown_kata(tmp_path: Path) -> None:
    [(line, message)] = problems_of(write(tmp_path, question("one", kata="no-such-kata")))
    assert (line, message) == (1, "question 'one': unknown kata 'no-such-kata'")


def test_id_must_be_a_slug_and_short_answer_short(tmp_path: Path) -> None:
    long = "'" + "word " * 100 + "'"
    text = question("Not A Slug", short_answer=long)
    found = problems_of(write(tmp_path, text))
    assert [line for line, _ in found] == [1, 4]
    assert "field 'id'" in found[0][1]
    assert "one to three short lines" in found[1][1]


def test_several_problems_are_all_reported_sorted(tmp_path: Path) -> None:
    text = question("one", level="expert") + question("two", section="cooking")
    assert [line for line, _ in problems_of(write(tmp_path, text))] == [10, 17]


def test_load_bank_refuses_a_broken_layer(tmp_path: Path) -> None:
    write(tmp_path, question("one", level="expert") + question("two", level="guru"))
    with pytest.raises(UserError) as caught:
        load_bank([tmp_path])
    assert "bank.yaml:10: question 'one': unknown level" in caught.value.message
    assert "and 1 more" in caught.value.message


# --- lint command ----------------------------------------------------------------------------


LINE = re.compile(r"^(?P<file>[^:]+\.yaml):(?P<line>\d+): (?P<problem>.+)$")


def test_lint_command_clean_bank_exits_zero() -> None:
    result = runner.invoke(cli.app, ["questions", "lint"])
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output


def test_lint_command_prints_file_line_problem_and_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, question("one", level="expert") + question("one"))
    result = runner.invoke(cli.app, ["questions", "lint", str(path)])
    assert result.exit_code == 2
    lines = [LINE.match(line) for line in result.output.splitlines() if ".yaml:" in line]
    assert [(m["line"], m["problem"]) for m in lines if m] == [
        ("10", "question 'one': unknown level 'expert' (known: junior, mid, senior)"),
    ]
    # The first 'one' failed validation, so the second is not a duplicate of anything valid.


def test_lint_json(tmp_path: Path) -> None:
    path = write(tmp_path, question("one") + question("one"))
    result = runner.invoke(cli.app, ["questions", "lint", str(path), "--json"])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["ok"] is False and data["questions"] == 1
    assert data["problems"][0]["line"] == 16
    assert data["problems"][0]["problem"].startswith("duplicate id 'one'")


def test_lint_covers_user_banks(tmp_path: Path) -> None:
    write(tmp_path, question("mine", section="cooking"))
    result = runner.invoke(cli.app, ["questions", "lint", "--bank", str(tmp_path)])
    assert result.exit_code == 2
    assert "bank.yaml:2: question 'mine': unknown section 'cooking'" in result.output


# --- user banks ------------------------------------------------------------------------------


def test_user_bank_adds_and_overrides(tmp_path: Path) -> None:
    write(tmp_path, question("list-vs-tuple", question="'Our own wording?'") + question("mine"))
    bank = load_bank([tmp_path])
    assert bank.get("list-vs-tuple").question == "Our own wording?"
    assert bank.get("mine").section == "python"
    assert len(bank.questions) == len(load_bank([]).questions) + 1


def test_kata_bank_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, question("from-env"))
    monkeypatch.setenv("KATA_BANK", str(tmp_path))
    result = runner.invoke(cli.app, ["questions", "show", "from-env", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id"] == "from-env"


def test_missing_bank_directory_is_a_clean_error(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["questions", "list", "--bank", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: question bank")
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_malformed_user_bank_is_a_clean_error(tmp_path: Path) -> None:
    write(tmp_path, "- id: [broken\n")
    result = runner.invoke(cli.app, ["questions", "list", "--bank", str(tmp_path)])
    assert result.exit_code == 2
    assert "error:" in result.output and "bank.yaml:" in result.output
    assert "invalid YAML" in result.output
