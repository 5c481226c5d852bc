"""A check on a cached vetted stack against a check on the installed one, and a stack's build.

The same reference solution is checked twice over, alternated: once with no pins (it runs on
the installed stack) and once with a UTF-16 requirements.txt pinning SQLAlchemy 2.0.46 (it runs
on the cached sqlalchemy-2.0 stack, whose warm fork server the first run starts). Target
(issue 10): the vetted stack costs at most 1.1x the installed one. Before that, the stack's
first build is timed into an empty cache: once with uv's download cache empty too (what a new
machine pays), once with it warm (a second lock of the same wheels).

    python bench/bench_stacks.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, paired, report  # noqa: E402

STACK = "sqlalchemy-2.0"


def time_build(cache: Path, uv_cache: Path) -> float:
    from grader.kata import load_kata
    from grader.stack_cache import ensure_built
    from grader.stacks import vetted_stacks

    kata = load_kata("shop-api")
    stack = next(s for s in vetted_stacks(kata) if s.id == STACK)
    os.environ.update(KATA_STACK_CACHE=str(cache), UV_CACHE_DIR=str(uv_cache))
    started = time.perf_counter()
    ensure_built(kata.id, stack)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from grader.scaffold import write_solution

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        print(f"first build of the {STACK} stack into an empty cache")
        cold = time_build(root / "cache-1", root / "uv-cache")
        print(f"  uv's download cache empty: {cold:6.2f} s")
        warm = time_build(root / "cache-2", root / "uv-cache")
        print(f"  uv's download cache warm:  {warm:6.2f} s")
        plain = write_solution("shop-api", root / "plain").path
        pinned = write_solution("shop-api", root / "pinned").path
        (pinned / "requirements.txt").write_bytes("SQLAlchemy==2.0.46\n".encode("utf-16"))
        env = {"KATA_STACK_CACHE": str(root / "cache-2")}
        check = [*KATA, "check", "--json", "--seed", "1"]
        print(f"\nkata check, warm servers, {args.runs} runs each")
        a, b = paired([*check, str(pinned)], [*check, str(plain)], args.runs, env, env)
        ratio = report(f"A on the cached {STACK} stack", a, "B on the installed stack", b)
        print(f"  target: ratio <= 1.10 -> {'met' if ratio <= 1.10 else 'NOT met'}")


if __name__ == "__main__":
    main()
