"""`kata status`: each part's time against its plan, estimated from the workspace's own record
of its checks, the items earned and the next step."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from typer.testing import CliRunner

from cli import app
from grader.progress import HISTORY, status
from grader.workspace import resolve_workspace

DEBUG = ["debug.find_user", "debug.history", "debug.edge_cases"]


def write_history(workspace, started: datetime, *checks: tuple[int, list[str]]) -> None:
    with open(workspace / HISTORY, "w", encoding="utf-8") as history:
        for minutes, earned in checks:
            at = (started + timedelta(minutes=minutes)).isoformat()
            history.write(json.dumps({"at": at, "score": 0, "earned": earned}) + "\n")


def test_parts_take_turns_from_the_record(starter):
    started = resolve_workspace(starter)[1].started()
    write_history(starter, started, (5, DEBUG[:1]), (18, DEBUG), (30, [*DEBUG, "backend.category"]))
    found = status(starter, now=started + timedelta(minutes=41))
    by_id = {part.id: part for part in found.parts}
    assert (by_id["debugging"].state, by_id["debugging"].minutes) == ("done", 18)
    assert (by_id["backend"].state, by_id["backend"].minutes) == ("done", 12)
    assert (by_id["api"].state, by_id["api"].minutes) == ("in progress", 11)
    assert by_id["discussion"].state == "with the interviewer"
    assert found.checks == 3 and found.elapsed_minutes == 41
    assert found.next_step.startswith("GET /products returns correct data with JOIN")


def test_an_item_lost_again_puts_its_part_back_in_progress(starter):
    started = resolve_workspace(starter)[1].started()
    write_history(starter, started, (10, DEBUG), (12, DEBUG[1:]), (13, ["an.unknown_item"]))
    with open(starter / HISTORY, "a", encoding="utf-8") as history:
        history.write("{cut short\n")  # an interrupted write: the rest still tells
    found = status(starter, now=started + timedelta(minutes=20))
    assert found.parts[0].state == "in progress" and found.parts[0].minutes == 20
    assert found.parts[1].state == "to do" and found.checks == 3
    assert "debug.find_user" in found.next_step


def test_a_real_check_is_recorded_and_status_reads_it(starter, reference):
    (starter / "tasks.py").write_text((reference / "tasks.py").read_text())
    checked = CliRunner().invoke(app, ["check", str(starter), "--json", "--seed", "3"])
    assert checked.exit_code == 0, checked.output
    result = CliRunner().invoke(app, ["status", str(starter), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["checks"] == 1 and found["score"] == json.loads(checked.stdout)["score"]
    assert [p["state"] for p in found["parts"]] == [
        "done", "in progress", "to do", "with the interviewer"]
    assert found["parts"][0]["earned"] == DEBUG


def test_status_of_a_folder_that_is_no_workspace(tmp_path):
    result = CliRunner().invoke(app, ["status", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a kata workspace" in result.output
