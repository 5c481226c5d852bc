"""`kata grade --format github` and the action's entry script: the scorecard lands in the job
summary, each missed item is an error annotation on the file its kata.yaml regions name, and
no candidate text can break out of an annotation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import apply_patches

from grader.reports.github import Annotation, annotations, split_formats
from grader.scoring import CheckResult, ItemScore, Scorecard

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "scripts" / "action-entry"


def run_entry(workspace: Path, summary: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """As the action's step runs it: in the repository, the inputs in the environment."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run([str(ENTRY)], cwd=workspace, capture_output=True, text=True,
                          env={**os.environ, "PATH": path, "GITHUB_STEP_SUMMARY": str(summary),
                               **env})


def test_action_entry_writes_the_summary_and_annotates_each_missed_item(reference: Path,
                                                                         tmp_path: Path) -> None:
    apply_patches(reference, [("tasks.py", "if user.get(\"email\") == email", "if False")])
    summary = tmp_path / "step-summary.md"
    summary.write_text("an earlier step's summary\n")
    out = tmp_path / "reports"
    done = run_entry(reference, summary, KATA_KATA="shop-api", KATA_MIN_SCORE="90",
                     KATA_FORMATS="json,md", KATA_OUT=str(out))
    assert done.returncode == 1, done.stderr  # below --min-score: the job fails
    text = summary.read_text()
    assert text.startswith("an earlier step's summary\n# Shop API livecoding: .\n"), text[:200]
    assert "**Score: 85.71 / 100**" in text
    assert "| ✗ | find\\_user\\_by\\_email works correctly (`debug.find_user`) | 0 / 10 |" in text
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    lines = (reference / "tasks.py").read_text().splitlines()
    function = 1 + next(n for n, line in enumerate(lines) if "def find_user_by_email" in line)
    guard = 1 + next(n for n, line in enumerate(lines) if "if not email" in line)
    assert [command.split("::")[1] for command in commands] == [
        f"error file=tasks.py,line={function},title=debug.find_user 0/10%3A find_user_by_email "
        "works correctly",
        f"error file=tasks.py,line={guard},title=debug.edge_cases 5.71/10%3A Edge cases handled "
        "(empty inputs%2C etc.)"]
    assert all(command.split("::", 2)[2] for command in commands), "each says why"
    assert {path.name for path in out.iterdir()} >= {"summary.json", "summary.md"}


def test_action_entry_passes_at_full_marks_and_annotates_nothing(reference: Path,
                                                                 tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    done = run_entry(reference, summary, KATA_KATA="shop-api", KATA_MIN_SCORE="100",
                     KATA_OUT=str(tmp_path / "reports"))
    assert done.returncode == 0, done.stderr
    assert "**Score: 100 / 100**" in summary.read_text()
    assert not [line for line in done.stdout.splitlines() if line.startswith("::")]


def test_github_needs_the_summary_variable_and_no_json(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_STEP_SUMMARY"}
    kata = [sys.executable, "-m", "cli", "grade", str(tmp_path), "--format", "github"]
    unset = subprocess.run(kata, capture_output=True, text=True, env=env)
    assert unset.returncode == 2 and unset.stderr == (
        "error: --format github writes the job summary to $GITHUB_STEP_SUMMARY, which is not "
        "set: use it in a GitHub Actions step\n")
    both = subprocess.run([*kata, "--json"], capture_output=True, text=True,
                          env={**env, "GITHUB_STEP_SUMMARY": str(tmp_path / "s.md")})
    assert both.returncode == 2 and "which --json needs for itself" in both.stderr
    assert not (tmp_path / "s.md").exists()


def test_split_formats() -> None:
    assert split_formats("json,GitHub,md") == ("json,md", True)
    assert split_formats("json,md") == ("json,md", False)
    assert split_formats("github") == ("", True)


def test_candidate_text_cannot_end_an_annotation_or_start_a_command() -> None:
    hostile = "100% done\n::warning::fake\r\n::stop-commands::x, a: b"
    command = Annotation(title=hostile, message=hostile, file="a,b:c.py", line=3).command()
    assert "\n" not in command and "\r" not in command
    properties, message = command.removeprefix("::error ").split("::", 1)
    assert properties == ("file=a%2Cb%3Ac.py,line=3,title=100%25 done %3A%3Awarning%3A%3Afake "
                          "%3A%3Astop-commands%3A%3Ax%2C a%3A b")
    assert message == "100%25 done ::warning::fake ::stop-commands::x, a: b"


def missed(item_id: str, text: str, reason: str) -> ItemScore:
    return ItemScore(id=item_id, text=text, mode="auto", points=10, earned=0,
                     checks=(CheckResult(f"test_x.py::{item_id}", "failed", reason),))


def test_a_layout_that_moves_files_is_annotated_by_file_name(tmp_path: Path) -> None:
    """The upstream kit's main.py sits at the root, where kata.yaml's regions say app/main.py."""
    (tmp_path / "main.py").write_text("import x\n\n\nasync def create_order():\n    pass\n")
    card = Scorecard(kata="shop-api", title="Shop", submission=str(tmp_path), layout="upstream",
                     database="postgres", seed=1,
                     items=[missed("backend.stock", "stock", "oversold"),
                            missed("debug.history", "history", "wrong order")])
    stock, history = annotations([card])
    assert (stock.file, stock.line, stock.message) == (
        (tmp_path / "main.py").as_posix(), 4, "oversold")
    assert (history.file, history.line) == (None, None)  # no tasks.py in this submission
    error = Scorecard(kata="shop-api", title="Shop", submission="x.zip", layout=None,
                      database=None, seed=None, items=[], error="not a readable archive")
    assert annotations([error]) == [Annotation("x.zip: not graded", "not a readable archive")]
