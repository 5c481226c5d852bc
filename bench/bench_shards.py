"""Two shards of a batch graded at once on this machine, against the same batch unsharded.

- A: `kata grade` of the whole batch, --jobs 2 (both cores, as one machine grades it).
- B: `--shard 1/2` and `--shard 2/2` at once, --jobs 1 each, then `kata report merge`: what two
  one-core machines do, squeezed onto this one, plus the merge. Equal throughput means sharding
  costs nothing but the merge; on one machine it cannot gain, since the cores are the same.

Prints submissions per second, per core, and the ratio B/A of the times, alternated A, B.

    python bench/bench_shards.py [--copies 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, report, run, run_together  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from grader.scaffold import write_solution

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        reference = write_solution("shop-api", root / "ref").path
        inbox = root / "inbox"
        for number in range(args.copies):  # each its own content, so the shards split them
            copy = Path(shutil.copytree(reference, inbox / f"candidate-{number:02d}"))
            (copy / "NOTES.md").write_text(f"candidate {number}\n")
        grade = [*KATA, "grade", str(inbox / "*"), "--kata", "shop-api", "--seed", "1",
                 "--format", "json,md,html"]
        whole = [*grade, "--jobs", "2", "--out", str(root / "whole")]
        shards = [[*grade, "--jobs", "1", "--shard", f"{k}/2", "--out", str(root / f"s{k}")]
                  for k in (1, 2)]
        merge = [*KATA, "report", "merge", str(root / "s1"), str(root / "s2"), "--out",
                 str(root / "merged")]

        def sharded() -> float:
            return run_together(shards) + run(merge)

        print(f"batch of {args.copies} reference solutions, {args.rounds} rounds, "
              f"{cores} cores")
        run(whole), sharded()  # warm-up: servers, caches
        a, b = [], []
        for _ in range(args.rounds):
            a.append(run(whole))
            b.append(sharded())
        ratio = report("A whole batch, --jobs 2", a, "B 2 shards at once, --jobs 1, + merge", b)
        for name, times in (("whole batch", a), ("2 shards + merge", b)):
            rate = args.copies / statistics.median(times)
            print(f"  {name:<18} {rate:5.2f} submissions/s, {rate / cores:5.2f} per core")
        print(f"  throughput B/A: {ratio:.2f} (the time ratio A/B)")


if __name__ == "__main__":
    main()
