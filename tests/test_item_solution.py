"""`kata solution ITEM`: the reference's code for an item, beside the candidate's, only once
their last check earned it, and only that item's code; `kata solution KATA DIR` still writes
the whole reference for trainers."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app


def kata(*args: str):
    return CliRunner().invoke(app, [*args])


def test_refused_until_earned_then_only_the_items_code(starter, reference):
    before = kata("solution", "debug.find_user", str(starter))
    assert before.exit_code == 2
    assert before.output.strip() == (
        "error: your last kata check did not earn debug.find_user: its reference code is shown "
        "once you have earned it, to compare with yours")
    mine = (reference / "tasks.py").read_text().replace(
        'user.get("email") == email), None)',
        'user.get("email") == email), None)  # mine')
    (starter / "tasks.py").write_text(mine)
    assert kata("check", str(starter), "--json", "--seed", "5").exit_code == 0
    shown = json.loads(kata("solution", "debug.find_user", str(starter), "--json").stdout)
    (diff,) = shown["diffs"].values()
    assert '== email), None)  # mine' in diff and diff.count("\n-") == 1
    assert "UserActionHistory" not in diff  # another item's code, in the same file


def test_manual_and_unknown_items_are_refused(starter):
    manual = kata("solution", "discussion.walkthrough", str(starter))
    assert manual.exit_code == 2 and "judged by the interviewer" in manual.output
    unknown = kata("solution", "debug.nope", str(starter))
    assert unknown.exit_code == 2 and "has no item 'debug.nope'" in unknown.output


def test_the_trainers_form_still_writes_the_reference(tmp_path):
    result = kata("solution", "shop-api", str(tmp_path / "ref"))
    assert result.exit_code == 0 and (tmp_path / "ref" / "tasks.py").is_file()
    missing = kata("solution", "shop-api")
    assert missing.exit_code == 2 and "kata solution shop-api DIR" in missing.output
