"""The candidate's loop on shop-api: `kata hint`, `kata status`, `kata reset`, and
`kata solution --item`, with what an interviewer sees of the hints on every scorecard view."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli import app
from grader import views
from grader.kata import load_kata
from grader.progress import HISTORY, status
from grader.reports import write_reports
from grader.scaffold import start_workspace
from grader.scoring import SCHEMA, Scorecard
from grader.workspace import resolve_workspace

DEBUG = ["debug.find_user", "debug.history", "debug.edge_cases"]
SHOP = load_kata("shop-api")


def kata(*args: str | Path):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def refused(result, message: str) -> None:
    """Exit 2, one sentence on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {message}"), line
    assert result.exception is None or isinstance(result.exception, SystemExit)


def checked(workspace: Path, seed: int = 3) -> dict:
    result = kata("check", workspace, "--json", "--seed", str(seed))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def write_history(workspace: Path, started: datetime, *checks: tuple[int, list[str]]) -> None:
    with open(workspace / HISTORY, "w", encoding="utf-8") as history:
        for minutes, earned in checks:
            at = (started + timedelta(minutes=minutes)).isoformat()
            history.write(json.dumps({"at": at, "score": 0, "earned": earned}) + "\n")


def saved(path: Path, at: datetime) -> None:
    os.utime(path, (at.timestamp(), at.timestamp()))


def hints_of(item_id: str) -> tuple[str, ...]:
    return next(i for i in SHOP.checklist if i.id == item_id).hints


# --- hints -------------------------------------------------------------------------------


def test_every_item_has_hints_in_our_own_words():
    reference = [line.strip() for path in SHOP.solution_dir.rglob("*.py")
                 for line in path.read_text().splitlines() if len(line.strip()) > 25]
    for item in SHOP.checklist:  # auto and manual alike
        assert 2 <= len(item.hints) <= 3, item.id
        assert not [line for line in reference for hint in item.hints if line in hint], item.id


def test_hints_go_in_order_stop_at_the_last_and_are_recorded(starter):
    texts = hints_of("backend.stock")
    given = [json.loads(kata("hint", "backend.stock", starter, "--json").stdout)
             for _ in range(len(texts) + 1)]
    assert [g["text"] for g in given] == [*texts, texts[-1]]
    assert [g["number"] for g in given] == [*range(1, len(texts) + 1), len(texts)]
    assert json.loads((starter / ".kata" / "hints.json").read_text()) == {
        "backend.stock": len(texts)}
    text = kata("hint", "backend.stock", starter)
    assert text.stdout == f"backend.stock, hint 3 of 3: {texts[-1]}\n"


def test_a_real_check_then_hint_status_and_the_interviewers_views(starter, reference, tmp_path,
                                                                 monkeypatch):
    alone = json.loads(kata("hint", starter, "--json").stdout)  # a lone folder: the workspace
    assert alone["item"] == "debug.find_user"  # no check yet: nothing earned
    (starter / "tasks.py").write_text((reference / "tasks.py").read_text())
    checked(starter)
    after = json.loads(kata("hint", starter, "--json").stdout)
    assert after["item"] == "backend.category"  # the debugging items are earned now
    kata("hint", "backend.category", starter)

    found = json.loads(kata("status", starter, "--json").stdout)
    assert found["checks"] == 1
    assert [p["state"] for p in found["parts"]] == [
        "done", "in progress", "to do", "with the interviewer"]
    assert found["parts"][0]["earned"] == DEBUG
    assert found["next_step"]["item"] == "backend.category"
    assert found["next_step"]["work"].startswith("Install the requirements")

    card_json = checked(starter)
    assert card_json["schema"] == SCHEMA == "katabench.scorecard/4"
    assert card_json["hints_used"] == {"debug.find_user": 1, "backend.category": 2}
    card = Scorecard.from_json(card_json)
    said = ("1 hint used on debug.find_user, 2 hints used on backend.category "
            "(as recorded in the workspace)")
    assert card.hints_summary() == said
    terminal = Console(width=400, record=True)
    monkeypatch.setattr(views, "console", terminal)
    views.print_scorecard(card)
    views.print_batch([card, card])
    assert terminal.export_text().count(said) == 5  # each card, and a column of the ranking
    out = tmp_path / "reports"
    write_reports([card], out, ["json", "md", "html", "csv", "junit"])
    for name in ("summary.md", "summary.html", "summary.csv", "summary.junit.xml"):
        assert "2 hints used on backend.category" in (out / name).read_text(), name
    (card_md,) = [p for p in out.glob("*.md") if p.name != "summary.md"]
    assert "2 hints used on backend.category" in card_md.read_text()
    (card_xml,) = out.glob("*[!y].junit.xml")
    assert 'name="hints_used" value="2 (as recorded in the workspace)"' in card_xml.read_text()


def test_the_record_is_read_with_care(starter, grade):
    (starter / ".kata" / "hints.json").write_text(json.dumps(
        {"backend.stock": 2, "backend.nope": 1, "debug.history": 99, "debug.find_user": "3"}))
    assert grade(starter, seed=1).hints_used == {"backend.stock": 2}
    (starter / ".kata" / "hints.json").write_text("{cut short")
    assert grade(starter, seed=1).hints_used == {}
    assert json.loads(kata("hint", "debug.history", starter, "--json").stdout)["number"] == 1


def test_hints_off_and_unknown_items_are_refused(tmp_path):
    handed_out = start_workspace("shop-api", tmp_path / "ws", hints=False).path
    refused(kata("hint", handed_out),
            "hints are off in this workspace (it was handed out with --no-hints)")
    assert kata("start", "shop-api", tmp_path / "cli", "--no-hints").exit_code == 0
    refused(kata("hint", "backend.stock", tmp_path / "cli"), "hints are off")
    assert not (tmp_path / "cli" / ".kata" / "hints.json").exists()
    on = start_workspace("shop-api", tmp_path / "on").path
    refused(kata("hint", "backend.nope", on), "kata shop-api has no item 'backend.nope'")
    write_history(on, datetime.now(), (1, [i.id for i in SHOP.auto_items]))
    refused(kata("hint", on), "your last kata check earned every item")


# --- status ------------------------------------------------------------------------------


def test_parts_take_turns_from_the_record_and_the_saves(starter):
    started = resolve_workspace(starter)[1].started()
    write_history(starter, started, (5, DEBUG[:1]), (18, DEBUG), (30, [*DEBUG, "backend.category"]))
    saved(starter / "app" / "main.py", started + timedelta(minutes=38))
    found = status(starter, now=started + timedelta(minutes=41))
    by_id = {part.id: part for part in found.parts}
    assert (by_id["debugging"].state, by_id["debugging"].minutes) == ("done", 18)
    assert (by_id["backend"].state, by_id["backend"].minutes) == ("done", 12)
    # From the backend's last item to the last save: the 3 minutes since are not counted.
    assert (by_id["api"].state, by_id["api"].minutes) == ("in progress", 8)
    assert by_id["api"].planned == (25, 30) and by_id["api"].earned == []
    assert by_id["discussion"].state == "with the interviewer"
    assert found.checks == 3 and found.elapsed_minutes == 41
    assert found.next_step.item == "backend.products_join"
    assert found.next_step.work == SHOP.parts[2].work


def test_a_part_done_ahead_and_an_item_lost_again(starter):
    started = resolve_workspace(starter)[1].started()
    write_history(starter, started, (10, DEBUG), (12, [*DEBUG[1:], "backend.category"]))
    with open(starter / HISTORY, "a", encoding="utf-8") as history:
        history.write("{cut short\n")  # an interrupted write: the rest still tells
    saved(starter / "tasks.py", started + timedelta(minutes=20))
    found = status(starter, now=started + timedelta(minutes=25))
    assert (found.parts[0].state, found.parts[0].minutes) == ("in progress", 20)
    assert (found.parts[1].state, found.parts[1].minutes) == ("done", None)  # counted above
    assert found.parts[2].state == "to do" and found.checks == 2
    assert found.next_step.item == "debug.find_user"
    text = kata("status", starter)
    assert text.exit_code == 0 and "estimates" in text.stdout


def test_status_of_a_folder_that_is_no_workspace(tmp_path):
    refused(kata("status", tmp_path), f"{tmp_path} is not a kata workspace")


# --- reset -------------------------------------------------------------------------------


def test_reset_backs_up_restores_and_never_touches_the_candidates_files(starter):
    tasks = starter / "tasks.py"
    original = tasks.read_text()
    tasks.write_text(original + "# my work\n")
    (starter / "app" / "main.py").unlink()
    (starter / "notes.py").write_text("# mine\n")
    (starter / "app" / "extra.py").write_text("# mine too\n")
    result = kata("reset", "--workspace", starter, "--json")
    assert result.exit_code == 0, result.output
    change = json.loads(result.stdout)
    assert change["restored"] == ["app/main.py", "tasks.py"]
    assert change["left_alone"] == ["app/extra.py", "notes.py"]
    assert tasks.read_text() == original and (starter / "app" / "main.py").is_file()
    assert (starter / "notes.py").read_text() == "# mine\n"
    stamp = change["backup"]
    assert (starter / ".kata" / "backups" / stamp / "tasks.py").read_text().endswith("# my work\n")
    listed = json.loads(kata("reset", "--list", "-w", starter, "--json").stdout)
    assert listed == [{"stamp": stamp, "files": ["tasks.py"]}]
    back = json.loads(kata("reset", "--restore", stamp, "-w", starter, "--json").stdout)
    assert back["restored"] == ["tasks.py"] and tasks.read_text() == original + "# my work\n"
    # The restore replaced the starter's tasks.py: that is backed up in turn.
    again = json.loads(kata("reset", "--list", "-w", starter, "--json").stdout)
    assert [b["stamp"] for b in again] == [stamp, back["backup"]]
    said = kata("reset", "app", "-w", starter).stdout
    assert "left alone, yours and not the starter's: app/extra.py" in said


def test_reset_of_one_path_leaves_the_others_and_no_change_no_backup(starter):
    nothing = json.loads(kata("reset", "-w", starter, "--json").stdout)
    assert nothing["backup"] is None and nothing["restored"] == []
    assert {"tasks.py", "app/main.py", "README.md"} <= set(nothing["unchanged"])
    assert not (starter / ".kata" / "backups").exists()
    for name in ("tasks.py", "seed.py"):
        (starter / name).write_text("changed\n")
    one = json.loads(kata("reset", "tasks.py", "-w", starter, "--json").stdout)
    assert one["restored"] == ["tasks.py"] and (starter / "seed.py").read_text() == "changed\n"


def test_reset_refusals_are_one_sentence(starter):
    (starter / "notes.py").write_text("# mine\n")
    for args, message in [
        (["../elsewhere"], "../elsewhere is outside the workspace"),
        (["notes.py"], "notes.py is not a starter file of this workspace: nothing to reset"),
        (["--restore", "19990101T000000Z"], "no backup '19990101T000000Z'"),
    ]:
        refused(kata("reset", *args, "-w", starter), message)
    (starter / "tasks.py").unlink()
    (starter / "tasks.py").mkdir()
    refused(kata("reset", "-w", starter), "tasks.py is a folder in the workspace")


# --- solution ----------------------------------------------------------------------------


def test_the_items_reference_only_once_earned_and_only_its_code(starter, reference):
    refused(kata("solution", "--item", "debug.find_user", starter),
            "your last kata check did not earn debug.find_user: its reference code is shown "
            "once you have earned it, to compare with yours")
    mine = (reference / "tasks.py").read_text().replace(
        'user.get("email") == email), None)', 'user.get("email") == email), None)  # mine')
    (starter / "tasks.py").write_text(mine)
    checked(starter, seed=5)
    shown = json.loads(kata("solution", "--item", "debug.find_user", starter, "--json").stdout)
    (region,) = shown["regions"]
    assert (region["file"], region["function"]) == ("tasks.py", "find_user_by_email")
    assert '== email), None)  # mine' in region["diff"] and region["diff"].count("\n-") == 1
    assert "UserActionHistory" not in region["diff"]  # another item's code, in the same file
    text = kata("solution", "--item", "debug.history", starter)
    assert text.exit_code == 0 and "the same as the reference" in text.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--item", "discussion.walkthrough"], "discussion.walkthrough is judged by the interviewer"),
    (["--item", "debug.nope"], "kata shop-api has no item 'debug.nope'"),
    (["--item", "debug.history", "a", "b"], "with --item, give only your workspace"),
    (["shop-api"], "say which kata and where to write its reference"),
])
def test_solution_refusals(starter, args, message):
    workspace = [] if len(args) != 2 or args[0] != "--item" else [starter]
    refused(kata("solution", *args, *workspace), message)


def test_the_trainers_form_still_writes_the_reference(tmp_path):
    result = kata("solution", "shop-api", tmp_path / "ref", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"kata": "shop-api", "path": str(tmp_path / "ref")}
    assert (tmp_path / "ref" / "tasks.py").is_file()
    assert "`kata solution --item backend.stock ./ws`" in " ".join(
        kata("solution", "--help").stdout.split())
