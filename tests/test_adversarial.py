"""The adversarial suite: the reference solution plus one hostile act each (tests/hostile/).

For each act: grading ends within its time limit plus a small margin; every item gets exactly
the points its honest part deserves (a cheat gains nothing); the fork server survives; nothing
outside the sandbox changed (the files the act aimed at; no process, listening socket, System V
object or file of a sandbox uid is left). Sandbox uids come from a window of the test's own, so
the scans see this test's submissions only, even with other graders running on the machine.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import _pytest.reports
import httpx
import pytest
from conftest import apply_patches

from grader import session
from grader.batch import BatchOptions, grade_batch
from grader.errors import UserError
from grader.kata import load_kata
from grader.options import GradeOptions
from grader.sandbox import cgroup, policy
from grader.sandbox.capabilities import detect_capabilities
from grader.sandbox.client import Host
from grader.scoring import Scorecard

HOSTILE = Path(__file__).parent / "hostile"
LIMIT = 15.0  # the time limit hostile submissions are graded with
MARGIN = 5.0  # what grading may take beyond it
SEED = 3
FULL = {item.id: item.points for item in load_kata("shop-api").checklist if item.mode == "auto"}
DEBUG = ("debug.find_user", "debug.history", "debug.edge_cases")
API = ("backend.products_join", "backend.pagination", "backend.stock", "backend.transaction",
       "backend.errors")
SHARED_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")

# The reference with one honest mistake: find_user_by_email never finds anyone. What it scores is
# what every cheat below, added to it, must score too.
BROKEN = [("tasks.py", "return next((user for user in users if user.get(\"email\") == email), "
           "None)", "return None")]
BROKEN_EARNED = {"debug.find_user": 0.0, "debug.edge_cases": 5.71}

# --- building hostile submissions --------------------------------------------------------------


def act(snippet: str, /, **params: object) -> str:
    """The hostile code of tests/hostile/SNIPPET, with its parameters filled in."""
    text = (HOSTILE / snippet).read_text(encoding="utf-8")
    if params:
        assert "PARAMS: dict = {}" in text, f"{snippet} takes no parameters"
        text = text.replace("PARAMS: dict = {}", f"PARAMS: dict = {params!r}")
    return text


def plant(workspace: Path, relative: str, code: str) -> Path:
    """Put hostile code at the top of a workspace file: it runs when the file is imported."""
    path = workspace / relative
    path.write_text(code + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return workspace


PRODUCTS_DOC = '    """A page of products, cheapest first (ties by id)'


def in_list_products(workspace: Path, code: str) -> Path:
    """Run `code` at the start of GET /products (indented for the async handler's body)."""
    body = "".join(f"    {line}\n" for line in code.strip().splitlines())
    return apply_patches(workspace, [("app/main.py", PRODUCTS_DOC, body + PRODUCTS_DOC)])


# --- what must hold after every grading --------------------------------------------------------


ROOT = os.geteuid() == 0


@pytest.fixture
def full_isolation() -> None:
    """The protections under test exist only where the machine allows them all: as root, or as
    an ordinary user through user namespaces (CI runs this file both ways)."""
    if detect_capabilities().missing():
        pytest.skip("this machine does not allow full isolation (see `kata doctor`)")


@pytest.fixture
def uids(full_isolation: None, monkeypatch: pytest.MonkeyPatch) -> range | None:
    """This test's own window of sandbox uids (forked batch graders inherit it); None as an
    ordinary user, whose candidate processes are told apart by their PID namespace."""
    if not ROOT:
        return None
    base = 3_000_000 + secrets.randbelow(900) * 1_000
    monkeypatch.setattr(policy, "UID_BASE", base)
    monkeypatch.setattr(policy, "UID_RANGE", 1_000)
    return range(base, base + 1_000)


def _status_fields(pid: str) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)


def _in_sandbox(pid: str, uid: int, window: range | None) -> bool:
    """Under root, a uid of the window; as an ordinary user, a process of this user in a PID
    namespace other than the tests' own (every candidate process has its own)."""
    if window is not None:
        return uid in window
    try:
        return uid == os.getuid() and os.readlink(f"/proc/{pid}/ns/pid") != OWN_PIDNS
    except OSError:
        return False  # gone meanwhile


OWN_PIDNS = os.readlink("/proc/self/ns/pid")


def sandbox_processes(window: range | None) -> list[str]:
    """Live processes (zombies aside: they are dead, waiting to be reaped) of the sandbox."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = _status_fields(pid)
        except (OSError, ValueError):
            continue  # gone meanwhile
        uid = int(fields["Uid"].split()[0])
        if _in_sandbox(pid, uid, window) and not fields["State"].startswith("Z"):
            found.append(f"{pid} {fields['Name']} uid {uid}")
    return found


def _proc_table(path: str, column: str) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8") as table:
            header, *rows = table.read().splitlines()
    except OSError:
        return []
    names = header.split()
    return [dict(zip(names, row.split(), strict=False)) for row in rows if column in names]


def leftovers(window: range | None) -> list[str]:
    """Anything of the window's uids outside the sandbox: processes, listening sockets (in the
    grader's network namespace), System V objects, files in the folders everyone may write to.
    As an ordinary user only processes tell: the rest would be the grader's own, and candidate
    code writes, listens and makes System V objects only in namespaces of its own."""
    found = sandbox_processes(window)
    if window is None:
        return found
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        found += [f"listening socket {row['local_address']}" for row in _proc_table(table, "uid")
                  if row["st"] == "0A" and int(row["uid"]) in window]
    for kind in ("shm", "msg", "sem"):
        found += [f"System V {kind} {row['key']}"
                  for row in _proc_table(f"/proc/sysvipc/{kind}", "uid")
                  if int(row["uid"]) in window]
    for folder in filter(os.path.isdir, SHARED_DIRS):
        with os.scandir(folder) as entries:
            found += [entry.path for entry in entries
                      if entry.stat(follow_symlinks=False).st_uid in window]
    return found


def assert_contained(window: range | None) -> None:
    """Nothing of the sandbox outlives grading. SIGKILL is delivered asynchronously: a process
    may take a moment to die after the server has sent it."""
    give_up = time.monotonic() + 3
    while sandbox_processes(window) and time.monotonic() < give_up:
        time.sleep(0.05)
    assert leftovers(window) == []


def earned(card: Scorecard) -> dict[str, float]:
    return {item.id: round(item.earned, 2) for item in card.items if item.mode == "auto"}


def reasons(card: Scorecard) -> dict[str, str | None]:
    return {item.id: item.reason for item in card.items if item.reason}


def assert_earned(card: Scorecard, changed: dict[str, float] | None = None) -> None:
    """Every item at full points except `changed`, exactly."""
    assert card.error is None, card.error
    assert earned(card) == {**FULL, **(changed or {})}, reasons(card)


@pytest.fixture
def grade_hostile(grade: Callable[..., Scorecard], host: Host,
                  uids: range | None) -> Callable[..., Scorecard]:
    """Grade through the shared fork server; then check the time, the server and containment."""

    def run(source: Path, **options: object) -> Scorecard:
        started = time.monotonic()
        card = grade(source, seed=SEED, timeout=LIMIT, **options)
        elapsed = time.monotonic() - started
        assert elapsed < LIMIT + MARGIN, f"grading took {elapsed:.1f} s"
        assert host.process.poll() is None, "the fork server died"
        assert_contained(uids)
        return card

    return run


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    """Where hostile code leaves a file if it ever runs outside the sandbox (the grader's /tmp
    is hidden from the sandbox, so only the grader could write here)."""
    folder = tmp_path / "markers"
    folder.mkdir()
    folder.chmod(0o777)
    return folder


@pytest.fixture
def broken(reference: Path) -> Path:
    return apply_patches(reference, BROKEN)


def test_the_broken_baseline(grade_hostile, broken):
    """What the cheats below are measured against, graded without any cheat."""
    assert_earned(grade_hostile(broken), BROKEN_EARNED)


# --- hanging ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("relative", "lost"), [("tasks.py", DEBUG), ("app/main.py", API)])
def test_infinite_loop_at_import(grade_hostile, reference, relative, lost):
    card = grade_hostile(plant(reference, relative, act("loop.py")))
    assert_earned(card, dict.fromkeys(lost, 0.0))
    assert "did not start listening within" in reasons(card)[lost[0]]


def test_endpoint_that_never_answers(grade_hostile, reference):
    """GET /products sleeps forever: its checks fail once, quickly; orders still score."""
    card = grade_hostile(in_list_products(reference, "import asyncio\n"
                                                     "await asyncio.sleep(3600)"))
    assert_earned(card, {"backend.products_join": 0.0, "backend.pagination": 0.0,
                         "backend.errors": 6.67})
    assert "not asked again" in reasons(card)["backend.pagination"]
    assert card.durations["total"] < LIMIT - 2, "a hanging route must not use up the time limit"


def test_endpoint_that_blocks_the_whole_app(grade_hostile, reference):
    """time.sleep in an async handler blocks the event loop: nothing answers after it."""
    card = grade_hostile(in_list_products(reference, "import time\ntime.sleep(3600)"))
    assert_earned(card, dict.fromkeys(API, 0.0))
    assert "the app stopped answering" in reasons(card)["backend.stock"]


def test_function_that_never_returns(grade_hostile, reference):
    """find_user_by_email loops forever: only the checks that call it lose."""
    apply_patches(reference, [("tasks.py", "    if not email:\n",
                               "    while True:\n        pass\n    if not email:\n")])
    card = grade_hostile(reference)
    assert_earned(card, {"debug.find_user": 0.0, "debug.edge_cases": 5.71})
    assert "not called again" in reasons(card)["debug.edge_cases"]


def test_app_that_keeps_the_database_locked(grade_hostile, reference):
    """The grader's own reads wait for the lock until the deadline at most, not 10 s each."""
    plant(reference, "app/main.py", act("db_lock.py"))
    card = grade_hostile(in_list_products(reference, "_lock_forever()"))
    assert_earned(card, dict.fromkeys(API, 0.0))


# --- resources ---------------------------------------------------------------------------------


def test_memory_bomb(grade_hostile, reference):
    card = grade_hostile(plant(reference, "tasks.py", act("memory_bomb.py")))
    assert_earned(card, dict.fromkeys(DEBUG, 0.0))
    assert "MemoryError" in reasons(card)["debug.find_user"]


@pytest.mark.skipif(not cgroup.available(), reason="no cgroup here: it needs root")
def test_memory_filled_within_each_process_limit_hits_the_submissions_cap(
        grade_hostile, reference, monkeypatch):
    """The app fills 300 MiB, well inside its 2 GiB of address space, but over a submission cap
    of 256 MiB: the cgroup stops it, and the scorecard names the limit and the role."""
    monkeypatch.setattr(policy, "Limits", functools.partial(
        policy.Limits, submission_memory_bytes=256 << 20))
    card = grade_hostile(plant(reference, "app/main.py", act("touch_memory.py", mib=300)))
    assert_earned(card, dict.fromkeys(API, 0.0))
    assert "whole-submission limits (cgroup)" in card.isolation
    assert any(note.startswith("memory limit 256 MiB reached by the app")
               for note in card.notes), (card.notes, reasons(card))


@pytest.mark.skipif(not ROOT, reason="a tmpfs of its own needs root")
def test_files_each_under_the_limit_per_file_fill_only_the_submissions_disk(
        grade_hostile, reference, monkeypatch):
    """Five files of 40 MiB, each under the 64 MiB limit per file, on a disk cap of 128 MiB: the
    writes past the cap fail inside the sandbox, the machine's disk is untouched, and the
    scorecard names the limit. The disk is the submission's, so its migrations find it full."""
    monkeypatch.setattr(session, "Limits", functools.partial(
        policy.Limits, submission_disk_bytes=128 << 20))
    free = shutil.disk_usage(tempfile.gettempdir()).free
    card = grade_hostile(plant(reference, "tasks.py", act("fill_disk.py", files=5, mib=40)))
    assert {item: earned(card)[item] for item in DEBUG} == {item: FULL[item] for item in DEBUG}
    assert "No space left on device" in reasons(card)["backend.category"]
    assert any(note.startswith("disk limit 128 MiB reached") for note in card.notes), card.notes
    assert shutil.disk_usage(tempfile.gettempdir()).free > free - (64 << 20)


def _high_water_mark(pid: int) -> int:
    return int(_status_fields(str(pid))["VmHWM"].split()[0]) << 10


def test_gigabyte_on_stdout(grade_hostile, reference, host):
    """The output is capped, the rest dropped as it comes: the fork server never holds it."""
    before = _high_water_mark(host.process.pid)
    card = grade_hostile(plant(reference, "tasks.py", act("stdout_flood.py")))
    assert_earned(card)
    assert _high_water_mark(host.process.pid) - before < 64 << 20


def test_gigabyte_to_a_file(grade_hostile, reference):
    """RLIMIT_FSIZE stops the file at 64 MiB: the import fails, the rest of the work counts."""
    card = grade_hostile(plant(reference, "tasks.py", act("file_bomb.py")))
    assert_earned(card, dict.fromkeys(DEBUG, 0.0))
    assert "File too large" in reasons(card)["debug.find_user"]


def test_fork_bomb_leaves_the_rest_of_the_batch_alone(reference, tmp_path, uids):
    """A fork bomb whose every child tries setsid, graded next to the reference with two jobs on
    this machine's cores: the reference still scores 100 in its usual time, the bomb's own
    tasks module never starts, and no process of either survives."""
    bomb = shutil.copytree(reference, tmp_path / "bomb")
    plant(bomb, "tasks.py", act("fork_bomb.py"))
    started = time.monotonic()
    cards = grade_batch([str(bomb), str(reference)], GradeOptions(seed=SEED, timeout=LIMIT),
                        BatchOptions(jobs=2))
    assert time.monotonic() - started < LIMIT + MARGIN
    bombed, honest = cards
    assert_earned(honest)
    assert honest.durations["total"] < LIMIT * 2 / 3
    # Each role has its own process budget: the bomb costs its own items, the app's are whole.
    assert bombed.error is None
    assert earned(bombed) == {**FULL, **dict.fromkeys(DEBUG, 0.0)}, reasons(bombed)
    assert_contained(uids)


# --- leaving, killing, staying -----------------------------------------------------------------


@pytest.mark.parametrize(("relative", "snippet", "lost", "why"), [
    ("tasks.py", "os_exit.py", DEBUG, "exited with status 0"),
    ("app/main.py", "sys_exit.py", API, "SystemExit"),
])
def test_exit_at_import(grade_hostile, reference, relative, snippet, lost, why):
    card = grade_hostile(plant(reference, relative, act(snippet)))
    assert_earned(card, dict.fromkeys(lost, 0.0))
    assert why in reasons(card)[lost[0]]


def test_killing_its_parent_and_everything_it_can(grade_hostile, reference, host):
    """kill(getppid()), kill(1) and killpg of the grader's group at import; kill(-1) on every
    order. Only the submission's own processes can be hit, and by then they are done."""
    plant(reference, "app/main.py", act("kill_parent.py"))
    apply_patches(reference, [("app/main.py", "    async with session.begin():\n",
                               "    import contextlib, os, signal\n"
                               "    with contextlib.suppress(ProcessLookupError):  # alone\n"
                               "        os.kill(-1, signal.SIGKILL)\n"
                               "    async with session.begin():\n")])
    server = host.process.pid
    assert_earned(grade_hostile(reference))
    assert host.process.pid == server and host.process.poll() is None


def test_daemon_that_outlives_grading(grade_hostile, reference, uids):
    """Double fork, deaf to SIGTERM, writing to the output pipe forever: gone at the end, and
    grading did not wait for the pipe to close."""
    card = grade_hostile(plant(reference, "tasks.py", act("daemon.py")))
    assert_earned(card)
    assert card.durations["total"] < LIMIT / 2


# --- cheating ----------------------------------------------------------------------------------


def test_conftest_that_forces_every_check_to_pass(grade_hostile, broken, markers):
    for relative in ("conftest.py", "tests/conftest.py"):
        (broken / relative).write_text(act("force_pass.py", markers=str(markers)))
    assert_earned(grade_hostile(broken), BROKEN_EARNED)
    assert list(markers.iterdir()) == []


def test_pytest_ini_sitecustomize_usercustomize_and_pth(grade_hostile, broken, markers):
    hostile = act("force_pass.py", markers=str(markers))
    for name in ("sitecustomize.py", "usercustomize.py", "kata_plugin.py"):
        (broken / name).write_text(hostile)
    (broken / "pytest.ini").write_text("[pytest]\naddopts = -p kata_plugin -p conftest\n")
    (broken / "zz_kata.pth").write_text(
        act("marker.pth").replace("PARAMS_MARKERS", repr(str(markers))))
    assert_earned(grade_hostile(broken), BROKEN_EARNED)
    assert list(markers.iterdir()) == []


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_patching_pytest_and_httpx_from_app_code(grade_hostile, broken):
    pth = f"zz_kata_{secrets.token_hex(4)}.pth"
    files = [httpx.__file__, _pytest.reports.__file__]
    before = {path: _digest(path) for path in files}
    assert_earned(grade_hostile(plant(broken, "app/main.py", act("patch_tools.py", pth=pth))),
                  BROKEN_EARNED)
    assert {path: _digest(path) for path in files} == before
    site_packages = Path(httpx.__file__).parent.parent
    assert not (site_packages / pth).exists()


def kata_check(workspace: Path, **env: str) -> dict:
    """`kata check --json` in a process of its own (started with `env` added to ours): its
    stdout must be one JSON document, the scorecard, and nothing else."""
    result = subprocess.run(
        [sys.executable, "-m", "cli", "check", str(workspace), "--json", "--seed", str(SEED),
         "--timeout", str(LIMIT)],
        capture_output=True, text=True, timeout=LIMIT + MARGIN + 10,
        env={**os.environ, "NO_COLOR": "1", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # raises on anything printed before or after the card


def test_fake_summary_and_report_on_stdout(full_isolation, broken):
    """Whatever the candidate prints (on its stdout, or into the grader's own if it could open
    it), `kata check --json` prints the real scorecard and nothing else."""
    plant(broken, "tasks.py", act("fake_output.py"))
    plant(broken, "app/main.py", act("fake_output.py"))
    plant(broken, "seed.py", act("fake_output.py"))
    card = kata_check(broken)
    assert {i["id"]: round(i["earned"], 2) for i in card["items"] if i["mode"] == "auto"} == {
        **FULL, **BROKEN_EARNED}
    assert "every check passed" not in json.dumps(card)


def test_answers_hard_coded_for_the_starter_seed(grade_hostile, reference):
    """GET /products answers the starter's seed.py catalogue, whatever the database holds: the
    hidden data is drawn per run, so the products and pagination checks see through it. What
    pagination keeps is the honest part: the endpoint does validate offset and limit (422)."""
    seed_catalogue = (
        "rows = [(4, 'USB-C Cable', 9.99, 150, 'Electronics'),\n"
        "        (5, 'Espresso Cups (set of 4)', 19.9, 30, 'Kitchen'),\n"
        "        (2, 'Clean Architecture', 35.0, 4, 'Books'),\n"
        "        (1, 'The Pragmatic Programmer', 42.5, 12, 'Books'),\n"
        "        (6, \"Chef's Knife\", 64.0, 0, 'Kitchen'),\n"
        "        (3, 'Mechanical Keyboard', 89.0, 7, 'Electronics')]\n"
        "return [{'id': i, 'name': n, 'price': p, 'stock': s, 'category_name': c}\n"
        "        for i, n, p, s, c in rows][offset:offset + limit]")
    card = grade_hostile(in_list_products(reference, seed_catalogue))
    assert_earned(card, {"backend.products_join": 0.0, "backend.pagination": 1.67})
    assert reasons(card)["backend.products_join"]


# --- reaching out ------------------------------------------------------------------------------


def test_writing_outside_its_workspace(grade_hostile, reference):
    name = f"kata-pwned-{secrets.token_hex(4)}"
    repo = Path(__file__).resolve().parent.parent
    targets = [*(f"{folder}/{name}" for folder in (*SHARED_DIRS, "/root", "/etc", "/var/lock")),
               str(repo / name), str(repo / "katas" / "shop-api" / "checks" / name),
               str(Path(httpx.__file__).parent.parent / name)]
    ipc_key = 0x4B410000 + secrets.randbelow(0xFFFF)
    plant(reference, "tasks.py", act("write_outside.py", targets=targets, name=name,
                                     ipc_key=ipc_key))
    assert_earned(grade_hostile(reference))
    assert [t for t in targets if os.path.lexists(t)] == []
    assert not any(Path("/tmp").glob(f"kata-sb-*/{name}"))


def test_reading_an_environment_secret(full_isolation, reference):
    """The secret is in the environment the grader (`kata check`) was started with: candidate
    code finds it in no environment it can read (its own, /proc/self, /proc/PPID, /proc/1, any
    /proc/PID), so no answer of the app can carry it out."""
    secret = f"s3cr3t-{secrets.token_hex(8)}"
    plant(reference, "app/main.py", act("find_secrets.py", needles=["KATA_TEST_SECRET", secret],
                                        files=[]))
    in_list_products(reference, "if _FOUND:\n"
                                "    raise HTTPException(500, ' | '.join(_FOUND))")
    result = kata_check(reference, KATA_TEST_SECRET=secret)
    assert {i["id"]: round(i["earned"], 2) for i in result["items"] if i["mode"] == "auto"} == FULL
    assert secret not in json.dumps(result)


class _Listener:
    """A TCP port on 127.0.0.1 in the grader's network namespace, recording who connects."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                self.received.append(connection.recv(100))

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    served = _Listener()
    yield served
    served.close()


def test_connecting_to_the_network(grade_hostile, reference, listener):
    """Each connection may wait 10 s; the tasks module starting in time shows both failed at
    once, and the grader's port heard from nobody."""
    plant(reference, "tasks.py", act("network.py", port=listener.port, token="from-the-sandbox"))
    card = grade_hostile(reference)
    assert_earned(card)
    assert card.durations["tasks_ready"] < 5
    assert listener.received == []


def test_sending_a_file_of_the_users_home_to_a_local_port(grade_hostile, reference, listener):
    """As an ordinary user grading on a laptop: the file in that user's home stays unread and the
    port on 127.0.0.1 hears nothing, so the score is what the honest part deserves."""
    token = f"home-secret-{secrets.token_hex(8)}"
    with tempfile.NamedTemporaryFile("w", dir=Path.home(), prefix=".kata-test-",
                                     suffix=".txt") as secret:
        secret.write(token)
        secret.flush()
        os.chmod(secret.name, 0o644)  # only hiding the home folder keeps it from the sandbox
        plant(reference, "tasks.py", act("exfiltrate_home.py", path=secret.name,
                                         port=listener.port))
        card = grade_hostile(reference)
    assert_earned(card)
    assert listener.received == []


# --- the submission's files --------------------------------------------------------------------


@pytest.fixture
def secret_file(tmp_path: Path) -> tuple[Path, str]:
    token = f"leaked-{secrets.token_hex(8)}"
    path = tmp_path / "secret.txt"
    path.write_text(token)
    return path, token


def _reads_its_links(workspace: Path, token: str) -> Path:
    plant(workspace, "app/main.py", act(
        "find_secrets.py", needles=[token, "root:"],
        files=["leak.txt", "app/shadow.txt", "linked/shadow", "linked/passwd"]))
    return in_list_products(workspace, "if _FOUND:\n"
                                       "    raise HTTPException(500, ' | '.join(_FOUND))")


def test_symlinks_to_files_outside_in_the_workspace(grade_hostile, reference, secret_file):
    path, token = secret_file
    _reads_its_links(reference, token)
    (reference / "leak.txt").symlink_to(path)
    (reference / "app" / "shadow.txt").symlink_to("/etc/shadow")
    (reference / "linked").symlink_to("/etc")
    card = grade_hostile(reference)
    assert_earned(card)
    assert {"skipped symlink leak.txt", "skipped symlink app/shadow.txt",
            "skipped symlink linked"} <= set(card.notes)
    assert token not in json.dumps(card.to_json())


def _zip(folder: Path, archive: Path, links: dict[str, str]) -> Path:
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, f"candidate/{path.relative_to(folder)}")
        for name, target in links.items():
            entry = zipfile.ZipInfo(f"candidate/{name}")
            entry.external_attr = (stat.S_IFLNK | 0o777) << 16
            bundle.writestr(entry, target)
    return archive


def _tar(folder: Path, archive: Path, links: dict[str, str], hard: dict[str, str]) -> Path:
    with tarfile.open(archive, "w:gz") as bundle:
        bundle.add(folder, arcname="candidate")
        for names, kind in ((links, tarfile.SYMTYPE), (hard, tarfile.LNKTYPE)):
            for name, target in names.items():
                entry = tarfile.TarInfo(f"candidate/{name}")
                entry.type, entry.linkname = kind, target
                bundle.addfile(entry)
    return archive


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_symlinks_to_files_outside_in_an_archive(grade_hostile, reference, secret_file, tmp_path,
                                                 kind):
    path, token = secret_file
    _reads_its_links(reference, token)
    links = {"leak.txt": str(path), "app/shadow.txt": "/etc/shadow"}
    if kind == "zip":
        archive = _zip(reference, tmp_path / "candidate.zip", links)
    else:
        archive = _tar(reference, tmp_path / "candidate.tar.gz", {"leak.txt": str(path)},
                       {"app/shadow.txt": "/etc/shadow"})
    card = grade_hostile(archive)
    assert_earned(card)
    assert any("leak.txt" in note for note in card.notes)
    assert any("app/shadow.txt" in note for note in card.notes)
    assert token not in json.dumps(card.to_json())


@pytest.mark.parametrize("entry", ["../../{name}", "/tmp/{name}", "candidate/../../{name}"])
@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_zip_slip_archive_is_rejected(grade, reference, tmp_path, entry, kind):
    name = f"kata-zipslip-{secrets.token_hex(4)}"
    member = entry.format(name=name)
    archive = tmp_path / "inbox" / f"candidate.{kind}"
    archive.parent.mkdir()
    if kind == "zip":
        _zip(reference, archive, {})
        with zipfile.ZipFile(archive, "a") as bundle:
            bundle.writestr(member, "pwned")
    else:
        _tar(reference, archive, {}, {})
        with tarfile.open(archive, "r:gz") as old:
            members = [(m, old.extractfile(m).read() if m.isfile() else None)
                       for m in old.getmembers()]
        with tarfile.open(archive, "w:gz") as bundle:
            for m, data in members:
                bundle.addfile(m, io.BytesIO(data) if data is not None else None)
            evil = tarfile.TarInfo(member)
            evil.size = 5
            bundle.addfile(evil, io.BytesIO(b"pwned"))
    with pytest.raises(UserError, match="escapes the archive; rejected"):
        grade(archive, seed=SEED, timeout=LIMIT)
    for where in (Path("/tmp"), tmp_path, tmp_path / "inbox", Path.cwd()):
        assert not (where / name).exists()


def test_files_that_are_not_utf8(grade_hostile, reference):
    """Latin-1 in tasks.py is the candidate's SyntaxError; a binary README and file names that
    are not UTF-8 change nothing, and the scorecard stays valid UTF-8."""
    tasks = reference / "tasks.py"
    tasks.write_bytes(b'GREETING = "caf\xe9"\n' + tasks.read_bytes())
    (reference / "README.md").write_bytes(bytes(range(256)) * 64)
    raw = os.fsencode(reference)
    os.mkdir(raw + b"/donn\xe9es")
    Path(os.fsdecode(raw + b"/donn\xe9es/na\xefve.txt")).write_bytes(b"\xff\xfe\x00")
    os.symlink("/etc/passwd", raw + b"/lien-\xe9")
    card = grade_hostile(reference)
    assert_earned(card, dict.fromkeys(DEBUG, 0.0))
    assert "SyntaxError" in reasons(card)["debug.find_user"]
    assert "skipped symlink lien-\\xe9" in card.notes
    json.dumps(card.to_json(), ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate


# --- the grader as a confused deputy -----------------------------------------------------------

LINK_FROM_RUN_FOLDER = '''
import os as _os
_run = _os.path.dirname(_os.environ["DATABASE_URL"].split("///", 1)[1])
_os.symlink({target}, _os.path.join(_run, {name!r}))
'''


def test_grader_follows_no_link_planted_for_its_database(grade_hostile, reference, tmp_path):
    """The migrations plant seed-check.db -> a root-only empty file (an empty file is a valid
    SQLite database): the grader, copying the empty schema there for the seed check, must
    neither write through the link nor chown what it points to."""
    victim = tmp_path / "victim.db"
    victim.touch(mode=0o600)
    plant(reference, "migrations/env.py",
          LINK_FROM_RUN_FOLDER.format(target=repr(str(victim)), name="seed-check.db"))
    card = grade_hostile(reference)
    assert_earned(card, {"backend.category": 8.33})
    assert "seed" in reasons(card)["backend.category"]
    info = victim.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode), info.st_size) == (os.getuid(), 0o600, 0)


def test_grader_follows_no_link_to_the_fork_servers_socket(grade_hostile, reference, host):
    """tasks.sock -> the fork server's control socket (its path is in /proc/PPID/cmdline): the
    grader must not send a check's request there, and the server serves the next submission."""
    find_control = ('[a for a in open(f"/proc/{_os.getppid()}/cmdline").read().split("\\0") '
                    'if a.endswith(".sock")][0]')
    plant(reference, "tasks.py",
          LINK_FROM_RUN_FOLDER.format(target=find_control, name="tasks.sock"))
    card = grade_hostile(reference)
    assert_earned(card, dict.fromkeys(DEBUG, 0.0))


def test_fork_server_survives_a_stranger_on_its_socket(grade_hostile, reference, host):
    """Only the grader speaks the server's protocol: a client that sends anything else (an HTTP
    request, a check's RPC call) loses its own session, never the server."""
    for garbage in (b"GET /products HTTP/1.1\r\nhost: candidate\r\n\r\n", b'{"steps": []}\n',
                    b"[1]\n", b'{"op": "spawn"}\n'):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stranger:
            stranger.settimeout(5)
            stranger.connect(host.control)
            stranger.sendall(garbage)
            assert stranger.recv(100) == b"", "the server should hang up on a stranger"
    assert_earned(grade_hostile(reference))


# --- the machine's capabilities ----------------------------------------------------------------


def test_kata_doctor_reports_what_this_machine_supports():
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    as_json = subprocess.run([sys.executable, "-m", "cli", "doctor", "--json"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    servers = report.pop("warm_servers")
    assert report == detect_capabilities().to_json()
    assert servers["enabled"] and set(servers["running"]) == {"server", "grader"}
    off = subprocess.run([sys.executable, "-m", "cli", "doctor", "--json"], capture_output=True,
                         text=True, env={**env, "KATA_SERVER": "0"}, timeout=60)
    assert json.loads(off.stdout)["warm_servers"] == {"enabled": False}
    table = subprocess.run([sys.executable, "-m", "cli", "doctor"], capture_output=True,
                           text=True, env=env, timeout=60)
    assert table.returncode == 0, table.stderr
    for words in ("network namespace", "IPC namespace", "PID namespace",
                  "a process budget per role", "seccomp", "read-only", "cgroup", "Warm servers"):
        assert words in table.stdout


def test_scorecard_states_the_isolation_applied(grade_hostile, reference):
    card = grade_hostile(reference)
    assert_earned(card)
    # The same fences as root and as an ordinary user; only who the candidate is differs.
    assert card.isolation == [
        "process boundary", "rlimits", "scrubbed env", "isolated python",
        "unprivileged uid" if ROOT else "user namespace", "no network (netns)",
        "private IPC (ipcns)", "private PIDs (pidns)", "private mounts",
        "read-only outside the sandbox", "a process budget per role",
        "no new sessions or privileges (seccomp)",
        # cgroups need root here: v2 delegates none of these controllers to a user.
        *(["whole-submission limits (cgroup)"] if cgroup.available() else [])]
    assert cgroup.available() or any(note.startswith("no cgroup here") for note in card.notes)

