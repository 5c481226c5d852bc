"""product-search's verdict: the reference scores 100 under several seeds, the starter 0 on
what it leaves undone, every alternative correct solution 100, and a solution broken in one
item loses points on that item only."""

from __future__ import annotations

import pytest
from conftest import (
    KataContract,
    Patch,
    apply_patches,
    assert_full_marks,
    earned,
    full,
)

from grader.options import GradeOptions
from grader.postgres.servers import Cluster
from grader.postgres.shared import SharedPostgres
from grader.sandbox.capabilities import find_postgres_bin
from grader.session import grade_one

KATA = "product-search"
AUTO_ITEMS = ["search.filters", "search.q_literal", "paging.envelope", "paging.sorting",
              "paging.sort_whitelist", "perf.count", "perf.statements", "perf.index"]
MAIN = "app/main.py"
INDEX = '    op.create_index("ix_products_category_price", "products", ["category", "price"])\n'


@pytest.fixture
def reference(make_reference):
    return make_reference(KATA)


@pytest.mark.parametrize("seed", [1, 20261122, 987654321])
def test_reference_scores_full_marks(grade, reference, seed):
    card = grade(reference, seed=seed)
    assert_full_marks(card)
    assert card.seed == seed


def test_starter_scores_nothing_on_what_it_leaves_undone(grade, make_starter):
    card = grade(make_starter(KATA), seed=5)
    assert earned(card) == dict.fromkeys(AUTO_ITEMS, 0.0)
    reasons = {item.id: item.reason for item in card.items if item.mode == "auto"}
    assert all("501" in reasons[item] for item in AUTO_ITEMS if item != "perf.index"), reasons
    assert "no index on a filter column" in reasons["perf.index"]
    manual = [item for item in card.items if item.mode == "manual"]
    assert manual and all(item.status == "manual" for item in manual)


# One patch set per item: a plausible mistake that breaks that item and nothing else.
BROKEN: dict[str, list[Patch]] = {
    # in_stock=false lists every product, not only those out of stock.
    "search.filters": [(MAIN, "else Product.stock == 0", "else Product.stock >= 0")],
    # % and _ left as LIKE wildcards.
    "search.q_literal": [(MAIN, "autoescape=True", "autoescape=False")],
    # The first page claims a previous one.
    "paging.envelope": [(MAIN, '"has_prev": page > 1', '"has_prev": page >= 1')],
    # Ties broken, but by id the wrong way round.
    "paging.sorting": [(MAIN, ".order_by(order, Product.id)",
                        ".order_by(order, Product.id.desc())")],
    # The seed's getattr: any attribute of the model is a sort field.
    "paging.sort_whitelist": [
        (MAIN, 'sort_by: SortField = "created_at"', 'sort_by: str = "created_at"'),
        (MAIN, "column = SORT_COLUMNS[sort_by]",
         "column = getattr(Product, sort_by, Product.created_at)"),
    ],
    # Every matching row loaded to count them.
    "perf.count": [(MAIN, "total = await session.scalar(select(func.count()).select_from("
                          "query.subquery()))",
                    "total = len((await session.scalars(query)).all())")],
    # The tags of each product in a query of its own (N+1).
    "perf.statements": [
        (MAIN, "        query.options(selectinload(Product.tags))\n", "        query\n"),
        (MAIN, '"tags": sorted(tag.tag for tag in p.tags)}',
         '"tags": sorted(await session.scalars('
         'select(ProductTag.tag).where(ProductTag.product_id == p.id)))}'),
    ],
    # An index, but on a column no filter compares.
    "perf.index": [("migrations/versions/0002_search_indexes.py", INDEX,
                    '    op.create_index("ix_products_name", "products", ["name"])\n')],
}


# -- on PostgreSQL: the SQL texts come from the server, by pg_stat_statements or its log ----------

@pytest.mark.parametrize("counting", ["pg_stat_statements", "log"])
def test_reference_scores_full_marks_on_postgres(host, make_reference, counting):
    if find_postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql)")
    reference = make_reference(KATA)
    with SharedPostgres() as shared:
        shared._server = Cluster.start(counting=counting)
        card = grade_one(reference, GradeOptions(db="postgres", seed=9), host=host,
                         cluster=shared)
        broken = grade_one(apply_patches(reference, BROKEN["perf.count"]),
                           GradeOptions(db="postgres", seed=9), host=host, cluster=shared)
    assert card.score == 100, {item.id: item.reason for item in card.items if item.reason}
    assert card.database == "postgres"
    assert earned(broken)["perf.count"] < full(broken)["perf.count"]


class TestContract(KataContract):
    kata, broken = KATA, BROKEN
