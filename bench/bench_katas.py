"""Every kata's check time and batch throughput, beside shop-api's, in one run.

For each kata: `kata check` on its reference (warm servers, the median of --runs), then a batch of
--copies references with --jobs 2 (submissions per second). shop-api is the baseline: each other
kata's figures are also given as a ratio to it, measured alternately in the same run.

    python bench/bench_katas.py [--runs 5] [--copies 10] [--kata ID ...]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, paired  # noqa: E402

BASELINE = "shop-api"


def _commands(kata_id: str, root: Path, copies: int) -> tuple[list[str], list[str]]:
    """`kata check` of one reference, and `kata grade` of `copies` of it."""
    from grader.scaffold import write_solution

    reference = write_solution(kata_id, root / kata_id / "ref").path
    inbox = root / kata_id / "inbox"
    for number in range(copies):
        shutil.copytree(reference, inbox / f"candidate-{number:02d}")
    check = [*KATA, "check", str(reference), "--json", "--seed", "1"]
    grade = [*KATA, "grade", str(inbox / "*"), "--kata", kata_id, "--seed", "1", "--jobs", "2",
             "--json"]
    return check, grade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--kata", action="append", metavar="ID",
                        help="only this kata beside the baseline (repeatable); default: every kata")
    args = parser.parse_args()
    from grader.kata import kata_ids

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        base_check, base_grade = _commands(BASELINE, root, args.copies)
        print(f"{'kata':<16} {'check s':>8} {'x ' + BASELINE:>12} {'batch /s':>9} "
              f"{'x ' + BASELINE:>12}")
        for kata_id in args.kata or kata_ids():
            check, grade = _commands(kata_id, root, args.copies) if kata_id != BASELINE \
                else (base_check, base_grade)
            checks, base_checks = paired(check, base_check, args.runs)
            grades, base_grades = paired(grade, base_grade, max(args.runs // 2, 1))
            check_s, rate = statistics.median(checks), args.copies / statistics.median(grades)
            base_rate = args.copies / statistics.median(base_grades)
            print(f"{kata_id:<16} {check_s:8.3f} {check_s / statistics.median(base_checks):12.2f}"
                  f" {rate:9.2f} {rate / base_rate:12.2f}")


if __name__ == "__main__":
    main()
