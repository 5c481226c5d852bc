"""What similarity costs a batch: `kata grade --out` of 20 submissions with it on and off.

The batch is the worst case for the comparison: every pair alike (the reference and 19 disguised
copies of it, functions renamed and reordered, each copy differently, so that no file is
tokenized once for two submissions), so every pair listed gets its fragments found and rendered.
Target (issue 15): less than 10% more time with similarity on. Also prints the comparison's own
seconds, as summary.json records them.

    python bench/bench_similarity.py [--copies 20] [--rounds 3] [--kata shop-api]
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, paired, report  # noqa: E402


def disguise(source: str, number: int) -> str:
    """Every function renamed (differently in each copy, so that no two submissions are the same
    text) and the module's functions in reverse order."""
    tree = ast.parse(source)
    functions = [i for i, node in enumerate(tree.body)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    moved = [tree.body[i] for i in reversed(functions)]
    for i, node in zip(functions, moved, strict=True):
        node.name = f"{node.name}_{number}"  # type: ignore[attr-defined]
        tree.body[i] = node
    return ast.unparse(tree)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="batches of each, alternated")
    parser.add_argument("--kata", default="shop-api")
    args = parser.parse_args()
    from grader.scaffold import write_solution

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        reference = write_solution(args.kata, root / "ref").path
        inbox = root / "inbox"
        for number in range(args.copies):
            copy = inbox / f"candidate-{number:02d}"
            shutil.copytree(reference, copy)
            for module in (copy / "app").glob("*.py") if number else ():
                module.write_text(disguise(module.read_text(), number))
        grade = [*KATA, "grade", str(inbox / "*"), "--kata", args.kata, "--seed", "1",
                 "--jobs", "2", "--format", "json,html"]
        on, off = [*grade, "--out", str(root / "on")], [*grade, "--out", str(root / "off")]
        print(f"batch of {args.copies} {args.kata} submissions, {args.rounds} rounds")
        times_on, times_off = paired([*on, "--similarity"], [*off, "--no-similarity"],
                                     args.rounds)
        ratio = report("A --similarity", times_on, "B --no-similarity", times_off)
        found = json.loads((root / "on" / "summary.json").read_text())["similarity"]
        print(f"  comparison itself: {found['seconds']:.3f} s for {found['compared']} "
              f"submissions, {len(found['pairs'])} pairs reported")
        print(f"  target: ratio < 1.10 -> {'met' if ratio < 1.10 else 'NOT met'}  (A-B median "
              f"{statistics.median(times_on) - statistics.median(times_off):+.3f} s)")


if __name__ == "__main__":
    main()
