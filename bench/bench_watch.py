"""`kata check --watch`: the time from a save to the updated checklist, with warm servers,
against a plain `kata check` of the same workspace in the same run (target: 1.0 s on shop-api).

    python bench/bench_watch.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, ROOT, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from grader.scaffold import start_workspace, write_solution

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        workspace = start_workspace("shop-api", root / "ws").path
        solved = (write_solution("shop-api", root / "ref").path / "tasks.py").read_text()
        given = (workspace / "tasks.py").read_text()
        watcher = subprocess.Popen([*KATA, "check", str(workspace), "--watch", "--json",
                                    "--seed", "1"], stdout=subprocess.PIPE, cwd=ROOT, text=True)
        assert watcher.stdout is not None
        watcher.stdout.readline()  # the first run, which may start the servers
        saves = []
        for number in range(args.rounds):
            started = time.perf_counter()
            (workspace / "tasks.py").write_text(solved if number % 2 == 0 else given)
            watcher.stdout.readline()
            saves.append(time.perf_counter() - started)
        watcher.terminate()
        watcher.wait(10)
        plain = [run([*KATA, "check", str(workspace), "--json", "--seed", "1"])
                 for _ in range(args.rounds)]
    save, check = statistics.median(saves), statistics.median(plain)
    print(f"save to updated checklist: median {save:.3f} s (min {min(saves):.3f}, max "
          f"{max(saves):.3f}) over {args.rounds} saves")
    print(f"plain kata check:          median {check:.3f} s; ratio {save / check:.2f}")
    print(f"target: <= 1.0 s -> {'met' if save <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
