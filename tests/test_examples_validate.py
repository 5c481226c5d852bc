"""The workflows, the action and the Kubernetes manifests pass their validators (offline: the
validators ship their binary and schemas), and say the same shard count everywhere. Each
validator is shown to reject a broken copy, so a pass means it read our files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
K8S = ROOT / "examples" / "k8s"
BATCH_WORKFLOW = ROOT / "examples" / "github" / "grade-batch.yml"
KUBERNETES = "1.33.0"  # a version kubernetes-validate bundles the schemas of


def actionlint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "actionlint"), "-oneline", *args], cwd=cwd,
                          capture_output=True, text=True)


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "kubernetes-validate"), "--strict", "--quiet",
                           "-k", KUBERNETES, *map(str, paths)], capture_output=True, text=True)


def test_the_batch_workflow_passes_actionlint() -> None:
    done = actionlint(str(BATCH_WORKFLOW))
    assert done.returncode == 0, done.stdout + done.stderr


def action_repo(tmp_path: Path, action: dict[str, Any], with_: dict[str, str]) -> Path:
    """A repository holding the action, a workflow using it as `./` (actionlint checks the
    inputs against action.yml), and its composite steps as a job of their own (actionlint reads
    no composite step: as a job, their expressions and actions are checked too)."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "action.yml").write_text(yaml.safe_dump(action, sort_keys=False))
    uses = {"on": "push", "jobs": {"grade": {"runs-on": "ubuntu-24.04", "steps": [
        {"uses": "actions/checkout@v5"}, {"uses": "./", "with": with_}]}}}
    inputs = {name: {"type": "string", "required": False, "default": spec.get("default", "")}
              for name, spec in action["inputs"].items()}
    steps = {"on": {"workflow_call": {"inputs": inputs}},
             "jobs": {"steps": {"runs-on": "ubuntu-24.04", "steps": action["runs"]["steps"]}}}
    for name, workflow in (("uses.yml", uses), ("steps.yml", steps)):
        (tmp_path / ".github" / "workflows" / name).write_text(
            yaml.safe_dump(workflow, sort_keys=False))
    return tmp_path


def load_action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_the_action_passes_actionlint(tmp_path: Path) -> None:
    repo = action_repo(tmp_path, load_action(), {"kata": "shop-api", "min-score": "60",
                                                 "formats": "json,junit"})
    done = actionlint(cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_rejects_a_broken_action(tmp_path: Path) -> None:
    action = load_action()
    grade = next(step for step in action["runs"]["steps"] if step.get("name") == "Grade")
    grade["env"]["KATA_OUT"] = "${{ runner.tmp }}/reports"
    done = actionlint(cwd=action_repo(tmp_path, action, {"min-scor": "60"}))
    assert done.returncode == 1
    assert 'input "min-scor" is not defined in action "katabench grade"' in done.stdout
    assert 'property "tmp" is not defined' in done.stdout


def test_the_manifests_pass_kubernetes_validate() -> None:
    done = validate(*sorted(K8S.glob("*.yaml")))
    assert done.returncode == 0, done.stdout + done.stderr


def test_kubernetes_validate_rejects_a_broken_manifest(tmp_path: Path) -> None:
    broken = tmp_path / "job.yaml"
    broken.write_text((K8S / "grade-shards.yaml").read_text().replace(
        "completionMode: Indexed", "completionMod: Indexed"))
    done = validate(broken)
    assert done.returncode == 1 and "'completionMod' was unexpected" in done.stdout


def env_of(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container["env"]}


def test_every_example_names_one_shard_count() -> None:
    job = yaml.safe_load((K8S / "grade-shards.yaml").read_text())
    grade = job["spec"]["template"]["spec"]["containers"][0]
    assert job["spec"]["completionMode"] == "Indexed"
    assert job["spec"]["completions"] == int(env_of(grade)["KATA_SHARDS"])
    assert grade["args"] == ["grade"]
    merge = yaml.safe_load((K8S / "merge.yaml").read_text())
    assert merge["spec"]["template"]["spec"]["containers"][0]["args"] == ["merge"]
    workflow = yaml.safe_load(BATCH_WORKFLOW.read_text())
    shards = workflow["jobs"]["grade"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, workflow["env"]["SHARDS"] + 1))
    assert workflow["jobs"]["merge"]["needs"] == "grade"
