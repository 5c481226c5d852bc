"""Mutation testing's throughput against plain batch grading of the same number of copies.

A: `kata selftest KATA --mutants --jobs 2` grading N mutants (a seeded sample, or all of them).
B: `kata grade` of N plain copies of the reference with --jobs 2, alternated with A.
Mutants per second against submissions per second says what making, writing and judging the
mutants costs over the grading itself. The full run (every mutant) is the kata's benchmark.

    python bench/bench_mutants.py [--kata shop-api] [--count 40 | --all] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, ROOT, paired, report, run  # noqa: E402


def made(kata: str) -> int:
    """How many mutants the kata's reference has, from one JSON run of a single mutant."""
    result = subprocess.run([*KATA, "selftest", kata, "--seeds", "1", "--mutants", "--sample",
                             "1", "--json"], capture_output=True, text=True, cwd=ROOT)
    return json.loads(result.stdout)["mutants"]["made"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kata", default="shop-api")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--all", action="store_true", help="every mutant, not a sample")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from grader.scaffold import write_solution

    count = made(args.kata) if args.all else args.count
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        reference = write_solution(args.kata, root / "ref").path
        inbox = root / "inbox"
        for number in range(count + 2):  # the mutant run grades the reference first and last
            shutil.copytree(reference, inbox / f"copy-{number:03d}")
        mutants = [*KATA, "selftest", args.kata, "--seeds", "1", "--mutants", "--jobs", "2",
                   "--seed", "1", "--json", *([] if args.all else ["--sample", str(count)])]
        grade = [*KATA, "grade", str(inbox / "*"), "--kata", args.kata, "--seed", "1",
                 "--jobs", "2"]
        selftest = [*KATA, "selftest", args.kata, "--seeds", "1", "--json"]
        print(f"{args.kata}: {count} mutants against {count + 2} plain copies, --jobs 2, "
              f"{args.rounds} rounds")
        a, b = paired(mutants, grade, args.rounds)
        report(f"A selftest --mutants ({count})", a, f"B grade of {count + 2} copies", b)
        plain = [run(selftest) for _ in range(args.rounds)]  # what A does before its mutants
        grading = statistics.median(a) - statistics.median(plain)
        print(f"  mutants: {count / grading:5.2f}/s (A less its plain selftest, "
              f"{statistics.median(plain):.2f} s); copies: "
              f"{(count + 2) / statistics.median(b):5.2f}/s")


if __name__ == "__main__":
    main()
