"""`kata hint`: hints in order for the first item not earned, recorded in the workspace and
shown to an interviewer on the scorecard; a workspace handed out with hints off refuses them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app
from grader.kata import load_kata
from grader.scaffold import start_workspace


def kata(*args: str):
    return CliRunner().invoke(app, [*args])


def test_every_item_of_every_shipped_kata_has_hints():
    shop = load_kata("shop-api")
    assert all(len(item.hints) >= 2 for item in shop.checklist)


def test_hints_go_in_order_and_stop_at_the_last(starter):
    texts = next(i for i in load_kata("shop-api").checklist if i.id == "backend.stock").hints
    given = [json.loads(kata("hint", "backend.stock", "-w", str(starter), "--json").stdout)
             for _ in range(len(texts) + 1)]
    assert [g["text"] for g in given] == [*texts, texts[-1]]
    assert [g["number"] for g in given][-2:] == [len(texts), len(texts)]


def test_without_an_item_the_first_one_not_yet_earned(starter, reference, grade):
    first = json.loads(kata("hint", "-w", str(starter), "--json").stdout)
    assert first["item"] == "debug.find_user"  # no check yet: nothing earned
    (starter / "tasks.py").write_text((reference / "tasks.py").read_text())
    assert kata("check", str(starter), "--json", "--seed", "2").exit_code == 0
    after = json.loads(kata("hint", "-w", str(starter), "--json").stdout)
    assert after["item"] == "backend.category"  # the debugging items are earned now
    card = grade(starter, seed=2)
    assert card.hints_used == {"debug.find_user": 1, "backend.category": 1}
    assert "1 hint used on backend.category, as recorded in the workspace" in card.notes
    assert card.to_json()["hints_used"] == card.hints_used


def test_hints_off_and_unknown_items_are_refused(tmp_path):
    handed_out = start_workspace("shop-api", tmp_path / "ws", hints=False).path
    off = kata("hint", "-w", str(handed_out))
    assert off.exit_code == 2
    assert off.output.strip() == ("error: hints are off in this workspace (it was handed out "
                                  "with --no-hints)")
    started = kata("start", "shop-api", str(tmp_path / "cli"), "--no-hints")
    assert started.exit_code == 0 and kata("hint", "-w", str(tmp_path / "cli")).exit_code == 2
    on = start_workspace("shop-api", tmp_path / "on").path
    unknown = kata("hint", "backend.nope", "-w", str(on))
    assert unknown.exit_code == 2 and "has no item 'backend.nope'" in unknown.output
