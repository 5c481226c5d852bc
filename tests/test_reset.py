"""`kata reset`: starter files come back, what they replace is kept and can be restored, and
a file the candidate made is never touched."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app


def kata(*args: str):
    return CliRunner().invoke(app, [*args])


def test_reset_keeps_what_it_replaces_and_restore_brings_it_back(starter):
    tasks = starter / "tasks.py"
    original = tasks.read_text()
    tasks.write_text(original + "# my work\n")
    (starter / "app" / "main.py").unlink()
    (starter / "notes.py").write_text("# mine\n")
    result = kata("reset", "-w", str(starter), "--json")
    assert result.exit_code == 0, result.output
    change = json.loads(result.stdout)
    assert sorted(change["restored"]) == ["app/main.py", "tasks.py"]
    assert tasks.read_text() == original and (starter / "app" / "main.py").is_file()
    assert (starter / "notes.py").read_text() == "# mine\n"  # the candidate's own
    stamp = change["backup"]
    listed = json.loads(kata("reset", "--list", "-w", str(starter), "--json").stdout)
    assert listed == {stamp: ["tasks.py"]}
    back = json.loads(kata("reset", "--restore", stamp, "-w", str(starter), "--json").stdout)
    assert back["restored"] == ["tasks.py"] and tasks.read_text() == original + "# my work\n"
    # The restore replaced the starter's tasks.py: that is backed up in turn.
    assert json.loads(kata("reset", "--list", "-w", str(starter), "--json").stdout)[
        back["backup"]] == ["tasks.py"]


def test_reset_of_one_path_leaves_the_others(starter):
    for name in ("tasks.py", "seed.py"):
        (starter / name).write_text("changed\n")
    result = kata("reset", "tasks.py", "-w", str(starter), "--json")
    assert json.loads(result.stdout)["restored"] == ["tasks.py"]
    assert (starter / "seed.py").read_text() == "changed\n"


def test_nothing_to_reset_makes_no_backup(starter):
    change = json.loads(kata("reset", "-w", str(starter), "--json").stdout)
    assert change["backup"] is None and change["restored"] == []
    assert {"tasks.py", "app/main.py", "README.md"} <= set(change["unchanged"])
    assert not (starter / ".kata" / "backups").exists()


def test_bad_requests_are_one_sentence(starter):
    for args, message in [
        (["../elsewhere"], "../elsewhere is outside the workspace"),
        (["notes.py"], "notes.py is not a starter file of this workspace: nothing to reset"),
        (["--restore", "19990101T000000Z"], "no backup '19990101T000000Z'"),
    ]:
        result = kata("reset", *args, "-w", str(starter))
        assert result.exit_code == 2
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"error: {message}"), line
