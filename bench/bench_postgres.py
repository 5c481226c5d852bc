"""PostgreSQL grading against SQLite grading of the reference solution, in the same run.

- `kata check REF --db postgres` against `kata check REF --db sqlite`, alternated: the whole
  command, so PostgreSQL pays for starting (and removing) its throwaway cluster every time.
- A batch: one fork server and one cluster for every submission, each submission graded in a
  forked grader as `kata grade` does; PostgreSQL and SQLite submissions alternate. Target
  (issue 4): per submission, PostgreSQL at most 1.5x SQLite.

    python bench/bench_postgres.py [--runs 5] [--batch 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, paired, report  # noqa: E402


def grade_forked(path: Path, db: str, seed: int, host: object, cluster: object) -> float:
    """Seconds to grade one submission in a forked grader, as `kata grade` does."""
    from grader.options import GradeOptions
    from grader.session import grade_one

    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        card = grade_one(path, GradeOptions(seed=seed, db=db), host=host,  # type: ignore[arg-type]
                         cluster=cluster)  # type: ignore[arg-type]
        os.write(write_end, json.dumps([card.score, card.database]).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        answer = stream.read()
    os.waitpid(pid, 0)
    elapsed = time.perf_counter() - started
    score, database = json.loads(answer)
    if score != 100 or database != db:
        raise SystemExit(f"the reference scored {score} on {database}, expected 100 on {db}")
    return elapsed


def batch(reference: Path, size: int) -> tuple[list[float], list[float]]:
    import grader.checks  # noqa: F401 - pytest and httpx imported once, before forking
    from grader.postgres.shared import SharedPostgres
    from grader.sandbox.client import Host

    postgres, sqlite = [], []
    with Host() as host, SharedPostgres() as cluster:
        started = time.perf_counter()
        cluster.get()  # in the parent, before forking: every child shares it
        print(f"  cluster started in {time.perf_counter() - started:.3f} s")
        for kind in ("postgres", "sqlite"):  # warm-up
            grade_forked(reference, kind, 1, host, cluster)
        for number in range(size):
            postgres.append(grade_forked(reference, "postgres", number + 2, host, cluster))
            sqlite.append(grade_forked(reference, "sqlite", number + 2, host, cluster))
    return postgres, sqlite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    from grader.sandbox.capabilities import find_postgres_bin
    from grader.scaffold import write_solution

    if find_postgres_bin() is None:
        raise SystemExit("no PostgreSQL on this machine: apt-get install postgresql")
    with tempfile.TemporaryDirectory() as scratch:
        reference = write_solution("shop-api", Path(scratch) / "ref").path
        check = [*KATA, "check", str(reference), "--json", "--seed", "1"]
        print(f"kata check --db postgres vs --db sqlite, {args.runs} runs each")
        a, b = paired([*check, "--db", "postgres"], [*check, "--db", "sqlite"], args.runs)
        report("A kata check --db postgres (own cluster)", a, "B kata check --db sqlite", b)
        print(f"\nbatch of {args.batch} per database, one fork server and one cluster, "
              "a forked grader per submission, alternated")
        postgres, sqlite = batch(reference, args.batch)
        ratio = report("A per submission, postgres", postgres, "B per submission, sqlite", sqlite)
        medians = statistics.median(postgres) / statistics.median(sqlite)
        print(f"  ratio of medians: {medians:.2f}")
        print(f"  target: postgres at most 1.5x sqlite per submission -> "
              f"{'met' if max(ratio, medians) <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
