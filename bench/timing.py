"""Wall-clock timing of whole commands, alternated so that drift hits both sides alike."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KATA = [sys.executable, "-m", "cli"]


def run(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(list(command), capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-800:]}"
                         f"{result.stderr[-2000:]}")
    return elapsed


def run_together(commands: Sequence[Sequence[str]]) -> float:
    """Start every command at once; the seconds until the last one ends."""
    started = time.perf_counter()
    running = [subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=ROOT) for command in commands]
    outputs = [process.communicate() for process in running]
    elapsed = time.perf_counter() - started
    for command, process, (stdout, stderr) in zip(commands, running, outputs, strict=True):
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{stdout[-800:]}{stderr[-2000:]}")
    return elapsed


def paired(a: Sequence[str], b: Sequence[str], runs: int, env_a: dict[str, str] | None = None,
           env_b: dict[str, str] | None = None) -> tuple[list[float], list[float]]:
    """A, B, A, B, ... after one warm-up of each."""
    run(a, env_a)
    run(b, env_b)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(run(a, env_a))
        times_b.append(run(b, env_b))
    return times_a, times_b


def report(name_a: str, times_a: list[float], name_b: str, times_b: list[float]) -> float:
    med_a, med_b = statistics.median(times_a), statistics.median(times_b)
    ratios = sorted(x / y for x, y in zip(times_a, times_b, strict=True))
    print(f"  {name_a:<44} median {med_a:6.3f} s  (min {min(times_a):.3f}, max {max(times_a):.3f})")
    print(f"  {name_b:<44} median {med_b:6.3f} s  (min {min(times_b):.3f}, max {max(times_b):.3f})")
    print(f"  ratio A/B pair by pair: median {statistics.median(ratios):.2f} "
          f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f})")
    return statistics.median(ratios)
