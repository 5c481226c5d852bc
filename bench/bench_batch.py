"""Batch throughput and the sandbox's overhead, each against a baseline of the same run.

- 20 copies of the reference solution graded with --jobs 1 and --jobs 2: submissions per second
  and the ratio (targets, issue 3: at least 3/s with --jobs 2, and at least 1.7x --jobs 1).
- `kata check` with full isolation against --isolation minimal (child processes only):
  target at most 1.1x.

    python bench/bench_batch.py [--copies 20] [--rounds 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, paired, report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="batches of each --jobs, alternated")
    args = parser.parse_args()
    from grader.scaffold import write_solution

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        reference = write_solution("shop-api", root / "ref").path
        inbox = root / "inbox"
        for number in range(args.copies):
            shutil.copytree(reference, inbox / f"candidate-{number:02d}")
        grade = [*KATA, "grade", str(inbox / "*"), "--kata", "shop-api", "--seed", "1"]
        print(f"batch of {args.copies} reference solutions, {args.rounds} rounds")
        ones, twos = paired([*grade, "--jobs", "1"], [*grade, "--jobs", "2"], args.rounds)
        speed_up = report("A --jobs 1", ones, "B --jobs 2", twos)
        one, two = statistics.median(ones), statistics.median(twos)
        print(f"  --jobs 1: {args.copies / one:5.2f} submissions/s, --jobs 2: "
              f"{args.copies / two:5.2f} submissions/s")
        print(f"  targets: >= 3/s and >= 1.7x -> "
              f"{'met' if args.copies / two >= 3 and speed_up >= 1.7 else 'NOT met'}")
        print(f"\nkata check, full isolation vs minimal, {args.runs} runs each")
        check = [*KATA, "check", str(reference), "--json", "--seed", "1"]
        a, b = paired([*check, "--isolation", "full"], [*check, "--isolation", "minimal"],
                      args.runs)
        ratio = report("A full (uid, netns, private mounts, rlimits)", a,
                       "B minimal (child processes, rlimits)", b)
        print(f"  target: ratio <= 1.10 -> {'met' if ratio <= 1.10 else 'NOT met'}"
              f"  (A-B median {statistics.median(a) - statistics.median(b):+.3f} s)")


if __name__ == "__main__":
    main()
