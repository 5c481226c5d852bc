"""katabench installed as users install it, not as the tests run it (editable, from the tree).

A regular install copies only what pyproject.toml declares: a kata file left out of the package
data, or a dependency that is not declared, shows here and nowhere else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from uv import find_uv_bin

ROOT = Path(__file__).resolve().parent.parent
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("PYTEST")}


def run(command: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            cwd=cwd, env={**CLEAN_ENV, **env}, timeout=600)
    assert result.returncode == 0, f"{command}: {result.stderr[-2000:]}"
    return result


def pip_install(tmp: Path) -> Path:
    base = getattr(sys, "_base_executable", sys.executable)
    run([base, "-m", "venv", tmp / "venv"], tmp)
    run([tmp / "venv" / "bin" / "pip", "install", "-q", "--disable-pip-version-check", ROOT], tmp)
    return tmp / "venv" / "bin" / "kata"


def uv_tool_install(tmp: Path) -> Path:
    run([find_uv_bin(), "tool", "install", "--quiet", ROOT], tmp,
        UV_TOOL_DIR=str(tmp / "tools"), UV_TOOL_BIN_DIR=str(tmp / "bin"))
    return tmp / "bin" / "kata"


@pytest.mark.parametrize("install", [pip_install, uv_tool_install], ids=["pip", "uv-tool"])
def test_an_installed_kata_grades_the_reference_full_marks(install, tmp_path):
    kata = install(tmp_path)
    run([kata, "solution", "shop-api", tmp_path / "ref"], tmp_path)
    graded = run([kata, "check", tmp_path / "ref", "--json", "--seed", "2"], tmp_path,
                 KATA_SERVER="0")
    card = json.loads(graded.stdout)
    assert card["score"] == card["max"] == 100, [i["reason"] for i in card["items"]]
    assert card["stack"]["id"] == "installed"
