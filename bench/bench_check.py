"""`kata check` on the reference solution against the floor measured in the same run.

The floor runs the same hidden checks in one plain pytest process with the app in-process (no
child processes, default pytest settings): what grading would cost with no boundary at all.
Targets (issue 2): `kata check` at most 1.2 s and below the floor; `kata --help` at most 0.15 s.

`kata check` is timed as a candidate runs it, again and again with the fork server kept warm
between runs; then, for comparison, with a fork server of its own each time (KATA_SERVER=0),
which is what the first check of a session costs.

    python bench/bench_check.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, ROOT, paired, report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        reference = Path(scratch) / "ref"
        from grader.scaffold import write_solution

        write_solution("shop-api", reference)
        checks = ROOT / "katas" / "shop-api" / "checks"
        check = [*KATA, "check", str(reference), "--json", "--seed", "1"]
        floor = [sys.executable, "-m", "pytest", "-p", "bench.floor", str(checks), "-q",
                 "-p", "no:cacheprovider"]
        floor_env = {"KATA_FLOOR_WORKSPACE": str(reference), "KATA_FLOOR_SEED": "1",
                     "PYTHONPATH": str(ROOT)}
        print(f"kata check vs the in-process floor, {args.runs} runs each")
        a, b = paired(check, floor, args.runs, env_b=floor_env)
        report("A kata check (sandboxed, full isolation)", a,
               "B floor: one pytest, app in-process", b)
        met = statistics.median(a) <= 1.2 and statistics.median(a) < statistics.median(b)
        print(f"  target: A median <= 1.200 s and below B -> {'met' if met else 'NOT met'}")
        print(f"\nthe same with a fork server per command (KATA_SERVER=0), {args.runs} runs each")
        a, b = paired(check, floor, args.runs, env_a={"KATA_SERVER": "0"}, env_b=floor_env)
        report("A kata check, its own fork server", a,
               "B floor: one pytest, app in-process", b)
        print("\nkata --help vs the bare interpreter")
        a, b = paired([*KATA, "--help"], [sys.executable, "-c", "pass"], args.runs * 2)
        report("A kata --help", a, "B python -c pass", b)
        met = statistics.median(a) <= 0.15
        print(f"  target: A median <= 0.150 s -> {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
