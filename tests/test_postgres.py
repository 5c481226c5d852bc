"""Grading on a real PostgreSQL (never a mock): the reference scores 100 on a throwaway cluster and
on an existing server, the checks only a server can make tell safe and unsafe solutions apart, the
upstream kit's layout is graded as it is, and nothing is left behind, even after a killed run.

Without PostgreSQL these tests skip with the reason; in CI (CI=true) they fail instead.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import TESTS, Patch, apply_patches
from packaging.version import Version

from grader.errors import UserError
from grader.options import GradeOptions
from grader.postgres import servers as postgres
from grader.postgres.servers import Cluster
from grader.postgres.shared import SharedPostgres
from grader.sandbox.capabilities import find_postgres_bin
from grader.sandbox.client import Host
from grader.sandbox.folder import source_hash
from grader.scoring import Scorecard
from grader.session import grade_one

UPSTREAM = TESTS / "solutions" / "shop-api-upstream"
ROOT = TESTS.parent
MAIN = "app/main.py"
OVERSELL = "test_stock_oversell.py::test_concurrent_orders_never_oversell"
JOIN_COUNT = "test_products.py::test_statement_count_does_not_grow_with_the_page"
BASE_DATABASES = {"postgres", "template0", "template1", "kata_template"}


@pytest.fixture(scope="session")
def postgres_bin() -> str:
    found = find_postgres_bin()
    if found is None:
        reason = "PostgreSQL is not installed here (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the PostgreSQL tests", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def cluster(postgres_bin: str) -> Iterator[SharedPostgres]:
    with SharedPostgres() as shared:
        shared.get()
        yield shared


@pytest.fixture(scope="session")
def pg_grade(host: Host, cluster: SharedPostgres) -> Callable[..., Scorecard]:
    def run(path: Path, **options: object) -> Scorecard:
        return grade_one(path, GradeOptions(**options), host=host,  # type: ignore[arg-type]
                         cluster=cluster)

    return run


def outcomes(card: Scorecard) -> dict[str, str]:
    return {check.nodeid: check.outcome for item in card.items for check in item.checks}


def earned(card: Scorecard) -> dict[str, float]:
    return {item.id: round(item.earned, 2) for item in card.items if item.mode == "auto"}


def reasons(card: Scorecard) -> dict[str, str | None]:
    return {item.id: item.reason for item in card.items if item.reason}


def leftovers(server: object) -> tuple[set[str], set[str]]:
    """The databases and roles a server has beyond its own."""
    databases = {row["datname"] for row in server.admin_query(  # type: ignore[attr-defined]
        "SELECT datname FROM pg_database")}
    roles = {row["rolname"] for row in server.admin_query(  # type: ignore[attr-defined]
        "SELECT rolname FROM pg_roles WHERE rolname LIKE 'kata%'")}
    return databases - BASE_DATABASES, roles - {"kata_admin"}


# -- the reference, on a cluster of ours and on a server we are given ----------------------------

def test_reference_scores_full_marks_on_postgres(pg_grade, cluster, reference):
    card = pg_grade(reference, db="postgres", seed=7)
    assert card.score == 100, reasons(card)
    assert card.database == "postgres"
    checks = outcomes(card)
    assert checks[OVERSELL] == checks[JOIN_COUNT] == "passed"
    assert leftovers(cluster.get()) == (set(), set())


def test_reference_scores_full_marks_on_db_url(host, postgres_bin, reference):
    server = Cluster.start()  # stands for a server somebody else runs
    try:
        admin = server.admin
        url = f"postgresql://{admin.user}:{admin.password}@/postgres?host={admin.host}"
        card = grade_one(reference, GradeOptions(db_url=url, seed=8), host=host)
        assert card.score == 100, reasons(card)
        assert card.database == "postgres"
        assert outcomes(card)[JOIN_COUNT] == "passed"
        assert leftovers(server) == (set(), set())  # its fresh database was dropped
    finally:
        server.close()


def test_statements_are_counted_from_the_log_without_pg_stat_statements(host, postgres_bin,
                                                                        reference):
    with SharedPostgres() as shared:
        shared._server = Cluster.start(counting="log")
        card = grade_one(reference, GradeOptions(db="postgres", seed=9), host=host,
                         cluster=shared)
        broken = grade_one(apply_patches(reference, N_PLUS_ONE), GradeOptions(
            db="postgres", seed=9), host=host, cluster=shared)
    assert card.score == 100, reasons(card)
    assert outcomes(broken)[JOIN_COUNT] == "failed"
    assert "N+1" in (reasons(broken)["backend.products_join"] or "")


def test_the_grader_loads_data_the_candidates_inserts_do_not_collide_with(cluster, tmp_path):
    server = cluster.get()
    db = server.create_database(tmp_path)
    try:
        db.execute("CREATE TABLE serial_ids (id SERIAL PRIMARY KEY, day DATE, at TIMESTAMP)")
        db.execute("CREATE TABLE identity_ids (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                   "note TEXT)")
        day = datetime.date(2025, 3, 1)
        db.insert_many("serial_ids", [{"id": 5, "day": day, "at": day},
                                      {"id": 9, "day": day, "at": day}])
        db.insert_many("identity_ids", [{"id": 40, "note": "50% off"}])
        assert db.query("INSERT INTO serial_ids DEFAULT VALUES RETURNING id") == [{"id": 10}]
        assert db.query("INSERT INTO identity_ids (note) VALUES ('x') RETURNING id") == [
            {"id": 41}]
        row = db.query("SELECT day, at, '5'::int AS n FROM serial_ids WHERE id = :id AND "
                       "day = :day", {"id": 5, "day": day})
        assert row == [{"day": day, "at": datetime.datetime(2025, 3, 1), "n": 5}]
        assert db.query("SELECT note FROM identity_ids WHERE note LIKE :p", {"p": "50%"}) == [
            {"note": "50% off"}]
    finally:
        server.drop_database(db)
    assert leftovers(server) == (set(), set())


# -- what only a real server shows -----------------------------------------------------------

QUERY_START = "    query = (\n        select(\n            Product.id,"
N_PLUS_ONE: list[Patch] = [(MAIN, QUERY_START, '''    page = await session.scalars(
        select(Product).order_by(Product.price, Product.id).offset(offset).limit(limit))
    return [{"id": p.id, "name": p.name, "price": p.price, "stock": p.stock,
             "category_name": await session.scalar(
                 select(Category.name).where(Category.id == p.category_id))}
            for p in page.all()]
''' + QUERY_START)]

CONDITIONAL_UPDATE = '''        decremented = await session.execute(
            update(Product)
            .where(Product.id == product.id, Product.stock >= order_in.quantity)
            .values(stock=Product.stock - order_in.quantity)
        )
        if decremented.rowcount == 0:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                f"Not enough stock for product {product.id}: {order_in.quantity} requested",
            )
'''
CHECK_FIRST = '''        if product.stock < order_in.quantity:
            raise HTTPException(status.HTTP_409_CONFLICT, "Not enough stock")
'''
UNCONDITIONAL = '''        await session.execute(
            update(Product).where(Product.id == product.id)
            .values(stock=Product.stock - order_in.quantity)
        )
'''
GET_PRODUCT = "product = await session.get(Product, order_in.product_id)"
STOCK_VARIANTS: dict[str, list[Patch]] = {
    # check, then write the stock read before: concurrent orders overwrite each other
    "check then assign": [(MAIN, CONDITIONAL_UPDATE,
                           CHECK_FIRST + "        product.stock -= order_in.quantity\n")],
    # check, then decrement without a condition: the stock goes below zero
    "check then decrement": [(MAIN, CONDITIONAL_UPDATE, CHECK_FIRST + UNCONDITIONAL)],
    # the same check and assignment, under a row lock: safe
    "select for update": [
        (MAIN, GET_PRODUCT, "product = await session.get(\n"
                            "            Product, order_in.product_id, with_for_update=True)"),
        (MAIN, CONDITIONAL_UPDATE,
         CHECK_FIRST + "        product.stock -= order_in.quantity\n")],
}


@pytest.mark.parametrize("variant", list(STOCK_VARIANTS))
def test_only_a_lock_or_a_conditional_update_keeps_the_oversell_check(pg_grade, reference,
                                                                      variant):
    card = pg_grade(apply_patches(reference, STOCK_VARIANTS[variant]), db="postgres", seed=4)
    safe = variant == "select for update"
    assert outcomes(card)[OVERSELL] == ("passed" if safe else "failed"), reasons(card)
    others = {k: v for k, v in outcomes(card).items() if k != OVERSELL}
    assert set(others.values()) == {"passed"}, reasons(card)
    if not safe:
        assert 0 < earned(card)["backend.stock"] < 10
        assert "concurrent orders" in (reasons(card)["backend.stock"] or "")


def test_the_oversell_check_is_skipped_on_sqlite(grade, reference):
    card = grade(apply_patches(reference, STOCK_VARIANTS["check then assign"]), seed=4)
    assert outcomes(card)[OVERSELL] == "skipped"
    assert card.score == 100, reasons(card)  # SQLite cannot show the race: no points lost


MIGRATION = ("migrations/versions/0002_categories.py", "def upgrade() -> None:\n",
             "def upgrade() -> None:\n    op.execute({sql!r})\n")


def test_a_statement_past_its_timeout_is_cancelled(pg_grade, reference, monkeypatch):
    """The submission's role has a statement_timeout (and a temp_file_limit it cannot lift)."""
    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT", "1s")
    old, new = MIGRATION[1], MIGRATION[2].format(sql="SELECT pg_sleep(5)")
    card = pg_grade(apply_patches(reference, [(MIGRATION[0], old, new)]), db="postgres", seed=3)
    assert "statement timeout" in (reasons(card)["backend.category"] or "")


def test_a_database_past_its_size_bound_is_cut_off(pg_grade, reference, monkeypatch):
    """40 MB of filler in a migration, over a bound of 24 MiB: the role's sessions end, it may
    not connect again, and the scorecard says why."""
    monkeypatch.setattr(postgres, "DATABASE_BYTES", 24 << 20)
    filler = ("CREATE TABLE filler AS SELECT repeat('x', 1000) AS pad "
              "FROM generate_series(1, 40000)")
    old, new = MIGRATION[1], MIGRATION[2].format(sql=filler)
    card = pg_grade(apply_patches(reference, [(MIGRATION[0], old, new)]), db="postgres", seed=3)
    assert any(note.startswith("database limit 24 MiB reached") for note in card.notes), card.notes
    assert earned(card)["backend.products_join"] == 0.0


# -- the upstream kit's layout ---------------------------------------------------------------

def test_upstream_solved_scores_full_marks_on_postgres_chosen_alone(pg_grade):
    solved = UPSTREAM / "solved"
    before = source_hash(solved)
    card = pg_grade(solved, kata_id="shop-api", seed=12)
    assert (card.layout, card.database) == ("upstream", "postgres")
    # Its UTF-16 requirements.txt pins SQLAlchemy 2.0, whose migrations' async_fallback option
    # 2.1 rejects: it runs on the vetted stack it pins, and says so.
    assert card.stack["id"] == "sqlalchemy-2.0" and card.stack["unhonoured"] == []
    assert card.stack["packages"]["sqlalchemy"] == "2.0.46"
    assert card.score == 100, reasons(card)
    assert source_hash(solved) == before  # graded as it is


@pytest.mark.skipif(Version(importlib.metadata.version("sqlalchemy")) < Version("2.1"),
                    reason="the installed SQLAlchemy still takes async_fallback")
def test_upstream_solved_without_its_pins_fails_its_migrations_on_sqlalchemy_2_1(pg_grade,
                                                                                tmp_path):
    """Why the pins matter: the same clone, its requirements.txt gone, runs on the installed
    stack, where the kit's own migrations fail."""
    clone = tmp_path / "clone"
    shutil.copytree(UPSTREAM / "solved", clone)
    (clone / "requirements.txt").unlink()
    card = pg_grade(clone, kata_id="shop-api", seed=12)
    assert card.stack["id"] == "installed"
    assert "async_fallback" in (reasons(card)["backend.category"] or "")


def test_upstream_as_handed_out_scores_only_what_the_kit_ships(pg_grade):
    card = pg_grade(UPSTREAM / "as_handed_out", kata_id="shop-api", seed=12)
    assert (card.layout, card.database) == ("upstream", "postgres")
    assert card.stack["id"] == "sqlalchemy-2.0"
    # The kit's migrations already create the categories table with its foreign key, and
    # test-data.sql loads: 4 of the 6 Category checks. Everything the candidate must write: 0.
    assert earned(card) == {
        "debug.find_user": 0.0, "debug.history": 0.0, "debug.edge_cases": 0.0,
        "backend.category": round(10 * 4 / 6, 2), "backend.products_join": 0.0,
        "backend.pagination": 0.0, "backend.stock": 0.0, "backend.transaction": 0.0,
        "backend.errors": 0.0}
    category = next(item for item in card.items if item.id == "backend.category")
    assert {c.name for c in category.checks if not c.passed} == {
        "test_category_model_has_id_and_name", "test_relationship_both_ways"}
    assert "no mapped class Category" in (category.reason or "")
    assert card.score == round(10 * 4 / 6, 2)


def test_forked_graders_share_the_parents_cluster(host, cluster, reference):
    """As `kata grade` grades: each submission in a fork, the cluster started before."""
    server = cluster.get()
    scores = []
    for seed in (21, 22):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                card = grade_one(reference, GradeOptions(db="postgres", seed=seed), host=host,
                                 cluster=cluster)
                os.write(write_end, str(card.score).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as answer:
            scores.append(answer.read())
        os.waitpid(pid, 0)
    assert scores == [b"100.0", b"100.0"]
    assert cluster.get() is server and server.keeper.poll() is None  # still the parent's
    assert leftovers(server) == (set(), set())


def test_a_batch_knows_when_to_start_postgres_before_forking(reference):
    from grader.session import needs_postgres as needed

    assert needed([reference, UPSTREAM / "solved"], GradeOptions(kata_id="shop-api"))
    assert not needed([reference], GradeOptions())
    assert needed([reference], GradeOptions(db="postgres"))
    assert needed([reference], GradeOptions(db_url="postgresql://somewhere/db"))


def test_upstream_layout_without_postgres_says_how_to_get_it(host, monkeypatch):
    monkeypatch.setattr("grader.sandbox.capabilities.find_postgres_bin", lambda: None)
    with pytest.raises(UserError) as raised:
        grade_one(UPSTREAM / "solved", GradeOptions(kata_id="shop-api"), host=host)
    message = raised.value.message
    assert "apt-get install postgresql" in message and "--db-url" in message
    assert message.count(". ") == 0  # one sentence


# -- nothing left behind ---------------------------------------------------------------------

def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _family(postmaster: int) -> set[int]:
    """The postmaster and its children (each of which PostgreSQL puts in a group of its own)."""
    family = {postmaster}
    for proc in Path("/proc").iterdir():
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        if f"\nPPid:\t{postmaster}\n" in status:
            family.add(int(proc.name))
    return family


def _none_running(pids: set[int]) -> bool:
    return not any(_running(pid) for pid in pids)


def _read_if_there(path: Path) -> str:
    """A file the server may be rewriting (postmaster.pid): empty while it is not there."""
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def _wait_gone(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_cluster_of_its_own_is_removed_after_grading(host, postgres_bin, reference,
                                                        monkeypatch):
    started: list[tuple[Cluster, set[int]]] = []
    original_close = Cluster.close

    def close(self: Cluster) -> None:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        started.append((self, _family(postmaster)))
        original_close(self)

    monkeypatch.setattr(Cluster, "close", close)
    card = grade_one(reference, GradeOptions(db="postgres", seed=3), host=host)
    assert card.score == 100, reasons(card)
    (server, family), = started
    assert len(family) > 3  # the postmaster, its helpers and the sessions still open
    assert server.keeper.poll() is not None
    assert not server.root.exists() and not server.data.exists()
    assert _none_running(family)


def _find_keeper(private: Path) -> tuple[int, Path, Path] | None:
    """The keeper started under `private`: its pid, and the cluster's root and data folders."""
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"grader.postgres.keeper" in argv and any(a.startswith(bytes(private)) for a in argv):
            index = argv.index(b"grader.postgres.keeper")
            return int(proc.name), Path(argv[index + 1].decode()), Path(argv[index + 2].decode())
    return None


def _start_grader(workspace: Path, private: Path, *options: str) -> subprocess.Popen:
    """`kata check` in a child process, its temporary files under `private`."""
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "check", str(workspace), "--json", *options], cwd=ROOT,
        env={**os.environ, "TMPDIR": str(private)}, stdout=(private / "out").open("wb"),
        stderr=(private / "err").open("wb"))


def _wait_app(private: Path, grader: subprocess.Popen) -> bool:
    """Wait until the candidate's app listens, while the grader still runs."""
    return _wait_gone(lambda: grader.poll() is not None or any(
        private.glob("kata-sb-*/run/app.sock")), 30) and grader.poll() is None


def _said(grader: subprocess.Popen, private: Path) -> str:
    """Why the grader did not get as far as expected: its exit status and its last words."""
    said = b"".join((private / name).read_bytes()[-1500:] for name in ("out", "err"))
    return f"the grader (exit {grader.poll()}) stopped early: {said.decode(errors='replace')}"


@pytest.fixture
def private_tmp() -> Iterator[Path]:
    """A temporary folder the `postgres` user may pass through (pytest's are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="kata-test-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_nothing_is_left_after_the_grader_is_killed(postgres_bin, reference, private_tmp, how):
    private = private_tmp
    grader = _start_grader(reference, private, "--db", "postgres")
    try:
        assert _wait_gone(lambda: _find_keeper(private) is not None), _said(grader, private)
        keeper, root, data = _find_keeper(private)  # type: ignore[misc]
        pid_file = data / "postmaster.pid"
        assert _wait_gone(lambda: "ready" in _read_if_there(pid_file)), _said(grader, private)
        postmaster = int(pid_file.read_text().split()[0])
        assert _wait_app(private, grader), _said(grader, private)
        family = _family(postmaster)
        assert grader.poll() is None and _running(keeper), "graded before it could be killed"
        grader.send_signal(how)
        grader.wait(30)
        assert _wait_gone(lambda: not _running(keeper)), "the keeper outlived the grader"
        assert _wait_gone(lambda: _none_running(family)), "postgres outlived it"
        assert not root.exists() and not data.exists(), "the cluster's files were left"
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()



def test_no_database_is_left_on_a_given_server_after_a_killed_run(postgres_bin, reference,
                                                                  private_tmp):
    server = Cluster.start()  # stands for a server somebody else runs
    admin = server.admin
    url = f"postgresql://{admin.user}:{admin.password}@/postgres?host={admin.host}"
    grader = _start_grader(reference, private_tmp, "--db-url", url)
    try:
        assert _wait_app(private_tmp, grader), _said(grader, private_tmp)
        databases, _ = leftovers(server)
        assert databases and grader.poll() is None, "graded before it could be killed"
        grader.kill()
        grader.wait(30)
        assert _wait_gone(lambda: leftovers(server) == (set(), set())), leftovers(server)
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
        server.close()
