"""Soak: one batch of many submissions, one in five hostile, against a batch of honest ones.

The hostile acts are the adversarial suite's own (tests/hostile/), those that end by themselves:
fork and memory bombs, a daemon, killing its parent, flooding stdout, a file past its limit,
exiting at import. The run prints, and checks:
- every submission got a scorecard, and every honest one exactly 100;
- no process of a sandbox uid (as root) and no sandbox folder or tmpfs is left;
- the warm servers' memory (RSS) after the run is within 10% of before it;
- throughput, against a batch of honest submissions graded the same way in the same run.

    python bench/bench_soak.py [--count 300] [--baseline 60]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import KATA, ROOT  # noqa: E402

HOSTILE = ROOT / "tests" / "hostile"
ACTS = [("tasks.py", "fork_bomb.py"), ("tasks.py", "memory_bomb.py"), ("tasks.py", "daemon.py"),
        ("app/main.py", "kill_parent.py"), ("tasks.py", "stdout_flood.py"),
        ("tasks.py", "file_bomb.py"), ("tasks.py", "os_exit.py"), ("app/main.py", "sys_exit.py")]
UID_BASE = 2_000_000  # grader.sandbox.policy: sandbox uids start here


def plant(workspace: Path, relative: str, act: str) -> None:
    path = workspace / relative
    path.write_text((HOSTILE / act).read_text() + "\n" + path.read_text())


def batch(inbox: Path, out: Path) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    result = subprocess.run([*KATA, "grade", str(inbox / "*"), "--kata", "shop-api", "--seed",
                             "1", "--json", "--out", str(out)], capture_output=True, text=True,
                            cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"kata grade failed: {result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout)


def warm_rss() -> int:
    """Resident memory of the warm servers (their forks aside), in bytes."""
    servers = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            status = dict(line.split(":\t", 1) for line in
                          (entry / "status").read_text().splitlines() if ":\t" in line)
        except (OSError, ValueError):
            continue
        if any(part.endswith((b"server.sock", b"grader.sock")) or b"/server-" in part
               for part in command):
            servers[int(entry.name)] = (int(status["PPid"]), int(status["VmRSS"].split()[0]))
    return sum(rss for pid, (parent, rss) in servers.items() if parent not in servers) << 10


def leftovers(since: float) -> list[str]:
    """What the run left: sandbox folders made since `since`, tmpfs mounts, sandbox processes."""
    found = [f"folder {p}" for p in Path(tempfile.gettempdir()).glob("kata-sb-*")
             if p.stat().st_mtime >= since]
    found += [f"mount {line.split()[1]}" for line in Path("/proc/mounts").read_text().splitlines()
              if "/kata-sb-" in line]
    if os.geteuid() == 0:
        for entry in Path("/proc").iterdir():
            try:
                uid = int((entry / "status").read_text().split("Uid:\t")[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue
            if uid >= UID_BASE:
                found.append(f"process {entry.name} of sandbox uid {uid}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--baseline", type=int, default=60)
    args = parser.parse_args()
    from grader.scaffold import write_solution

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        reference = write_solution("shop-api", root / "ref").path
        honest_inbox, soak_inbox = root / "honest", root / "soak"
        for number in range(args.baseline):
            shutil.copytree(reference, honest_inbox / f"honest-{number:03d}")
        hostile = set()
        for number in range(args.count):
            name = f"sub-{number:03d}"
            shutil.copytree(reference, soak_inbox / name)
            if number % 5 == 4:
                relative, act = ACTS[(number // 5) % len(ACTS)]
                plant(soak_inbox / name, relative, act)
                hostile.add(name)
        since = time.time()
        batch(honest_inbox, root / "warm-up")  # starts and warms the servers
        before = warm_rss()
        honest_seconds, honest_cards = batch(honest_inbox, root / "out-honest")
        soak_seconds, cards = batch(soak_inbox, root / "out-soak")
        time.sleep(1)  # SIGKILL is delivered asynchronously
        after = warm_rss()
        by_name = {Path(card["submission"]).name: card for card in cards}
        honest = [by_name.get(name) for name in sorted(set(by_name) - hostile)]
        left = leftovers(since)
        print(f"soak: {args.count} submissions, {len(hostile)} hostile; "
              f"baseline: {args.baseline} honest")
        print(f"  scorecards: {len(cards)} of {args.count}"
              f" ({'all' if len(cards) == args.count else 'MISSING SOME'})")
        exact = sum(card is not None and card["score"] == 100 for card in honest)
        print(f"  honest submissions at exactly 100: {exact} of {len(honest)}"
              f" (baseline batch: {sum(c['score'] == 100 for c in honest_cards)}"
              f" of {len(honest_cards)})")
        print(f"  left behind: {len(left)}{': ' + ', '.join(left[:5]) if left else ''}")
        print(f"  warm servers' RSS: {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB "
              f"after ({after / before - 1:+.1%}; target within 10%)")
        soak_rate, honest_rate = args.count / soak_seconds, args.baseline / honest_seconds
        print(f"  throughput: {soak_rate:.2f} submissions/s, honest batch {honest_rate:.2f}/s, "
              f"ratio {soak_rate / honest_rate:.2f}")


if __name__ == "__main__":
    main()
