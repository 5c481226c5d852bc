"""A layout says what its candidate was asked (kata.yaml `statement`, `asks`), and the checks
follow it: the upstream kit asks for price order only, our scaffold for equal prices by id.

The model is validated on load; the checks read it through the engine's `statement` fixture;
the shop-api helper that compares pages is exact under `price_ties: id` and tolerant of the
order among equal prices under `any`, never of overlapping pages, skipped products or a wrong
price order. The upstream grading tests need PostgreSQL, and skip without it (fail on CI).
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import TESTS, apply_patches

from grader.checks import Statement
from grader.errors import UserError
from grader.kata import Kata, load_kata, load_kata_file
from katas import KATAS_DIR

SHOP_DIR = KATAS_DIR / "shop-api"
UPSTREAM_SOLVED = TESTS / "solutions" / "shop-api-upstream" / "solved"
PRODUCTS_ITEMS = ("backend.products_join", "backend.pagination")
TIES_BY_ID = "test_products.py::test_price_ties_are_ordered_by_id"


# -- the model ------------------------------------------------------------------------------

def test_each_layout_says_what_it_asks():
    kata = load_kata("shop-api")
    assert kata.layouts["scaffold"].asks == {"price_ties": "id"}
    assert kata.layouts["upstream"].asks == {"price_ties": "any"}
    upstream = Statement.of(kata, "upstream")
    assert upstream.path == SHOP_DIR / "statements" / "upstream.md"
    assert "ascending" in upstream.text and "JOIN" in upstream.text
    assert upstream.ask("price_ties", "id") == "any"
    scaffold = Statement.of(kata, "scaffold")
    assert "README.md.jinja" in scaffold.text and scaffold.ask("price_ties", "any") == "id"
    with pytest.raises(TypeError):
        upstream.asks["price_ties"] = "id"  # type: ignore[index] - a check cannot change it


def test_every_price_ties_rule_is_one_the_checks_know(shop_modules):
    shopdata, _ = shop_modules
    for layout in load_kata("shop-api").layouts.values():
        assert layout.asks.get("price_ties", "id") in shopdata.PRICE_TIES


def test_a_layout_without_statement_asks_nothing():
    kata = load_kata("shop-api")
    bare = kata.layouts["scaffold"].model_copy(update={"statement": None, "asks": {}})
    other = kata.model_copy(update={"layouts": {"bare": bare}})
    statement = Statement.of(other, "bare")
    assert (statement.path, statement.text, dict(statement.asks)) == (None, "", {})
    assert statement.ask("price_ties", "id") == "id"  # the kata's own rule


def shop_yaml(**upstream: object) -> dict:
    """The shipped kata.yaml, its upstream layout changed; no stacks (their lock files would
    have to be copied too)."""
    data = yaml.safe_load((SHOP_DIR / "kata.yaml").read_text())
    data.pop("stacks", None)
    data["layouts"]["upstream"].update(upstream)
    return data


def write_kata(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "shop-api" / "kata.yaml"
    (path.parent / "statements").mkdir(parents=True, exist_ok=True)
    (path.parent / "statements" / "scaffold.md").write_text("# ours\n")
    path.write_text(yaml.safe_dump(data))
    return path


def error_of(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        load_kata_file(path)
    return caught.value.message


def test_a_statement_is_read_from_the_folder_of_its_kata_yaml(tmp_path):
    path = write_kata(tmp_path, shop_yaml(statement="statements/scaffold.md"))
    kata = load_kata_file(path)
    assert kata.layouts["upstream"].read_statement(path.parent) == "# ours\n"


def test_a_missing_statement_names_file_and_field(tmp_path):
    path = write_kata(tmp_path, shop_yaml(statement="statements/nowhere.md"))
    message = error_of(path)
    assert message == f"{path}: field layouts.upstream.statement: no file statements/nowhere.md"
    assert "\n" not in message


@pytest.mark.parametrize("statement", ["../upstream.md", "/etc/hostname", ""])
def test_a_statement_outside_the_kata_is_refused(tmp_path, statement):
    message = error_of(write_kata(tmp_path, shop_yaml(statement=statement)))
    assert message.startswith(f"{tmp_path / 'shop-api' / 'kata.yaml'}: field layouts.upstream")
    assert "statement must be a file inside the kata's folder" in message
    assert "\n" not in message


def test_asks_are_named_rules_of_text(tmp_path):
    assert "not a name" in error_of(write_kata(tmp_path, shop_yaml(asks={"price ties": "any"})))
    message = error_of(write_kata(tmp_path, shop_yaml(asks={"price_ties": True})))
    assert "layouts.upstream.asks.price_ties" in message and "string" in message


# -- the helper the checks compare pages with ------------------------------------------------

@pytest.fixture(scope="module")
def shop_modules() -> Iterator[tuple]:
    """shopdata and shop_helpers, imported as the checks import them, then forgotten again
    (the graders of the other tests import the kata's own)."""
    checks = str(SHOP_DIR / "checks")
    sys.path.insert(0, checks)
    try:
        yield importlib.import_module("shopdata"), importlib.import_module("shop_helpers")
    finally:
        sys.path.remove(checks)
        for name in ("shopdata", "shop_helpers"):
            sys.modules.pop(name, None)


@pytest.fixture(scope="module")
def tied_shop(shop_modules):
    """Eight products: 100 (1.00), then 101, 102, 103 at 2.00 (a run across the page boundary
    of limit=3), 104 (3.00), 105 and 106 at 4.00, 107 (5.00)."""
    shopdata, _ = shop_modules
    prices = {100: 1, 101: 2, 102: 2, 103: 2, 104: 3, 105: 4, 106: 4, 107: 5}
    products = [{"id": pid, "name": f"P{pid}", "category_id": 1, "price": price, "stock": 5}
                for pid, price in reversed(prices.items())]
    return shopdata.Shop(seed=0, categories=[{"id": 1, "name": "C"}], products=products,
                         customers=[], orders=[], fail_order_insert_customer=0,
                         fail_stock_update_product=0)


def miss(shop_modules, shop, ties, got, offset, limit):
    _, helpers = shop_modules
    return helpers.page_miss(shop, ties, got, offset, limit, "asked")


def test_by_id_one_page_is_right(shop_modules, tied_shop):
    assert miss(shop_modules, tied_shop, "id", [100, 101, 102, 103, 104], 0, 5) is None
    wrong = miss(shop_modules, tied_shop, "id", [100, 103, 102, 101, 104], 0, 5)
    assert wrong == ("asked: not in price order (equal prices by id): expected ids "
                     "[100, 101, 102, 103, 104], got [100, 103, 102, 101, 104]")


def test_any_order_among_equal_prices_is_right(shop_modules, tied_shop):
    assert miss(shop_modules, tied_shop, "any", [100, 103, 102, 101, 104], 0, 5) is None
    assert miss(shop_modules, tied_shop, "any", [104, 106, 105, 107], 4, 10) is None
    # A page that ends inside a run may hold any of its members; one that starts inside it,
    # any others.
    assert miss(shop_modules, tied_shop, "any", [100, 103], 0, 2) is None
    assert miss(shop_modules, tied_shop, "any", [101, 102, 104], 2, 3) is None


def test_any_order_still_catches_overlapping_pages(shop_modules, tied_shop):
    first, second = [100, 103, 101], [101, 104, 105]  # 101 on both pages, 102 lost
    assert miss(shop_modules, tied_shop, "any", first, 0, 3) is None  # each page alone is right
    assert miss(shop_modules, tied_shop, "any", second, 3, 3) is None
    assert miss(shop_modules, tied_shop, "any", first + second, 0, 6) == (
        "asked: product 101 listed twice, so another is missing: "
        "[100, 103, 101, 101, 104, 105]")


def test_any_order_still_catches_skipped_products(shop_modules, tied_shop):
    first, second = [100, 102, 101], [104, 105, 106]  # page 2 starts one product late: 103
    assert miss(shop_modules, tied_shop, "any", first + second, 0, 6) == (
        "asked: products [103] missing, [105] listed in their place (in price order, equal "
        "prices in any order)")
    assert miss(shop_modules, tied_shop, "any", [100, 101, 102, 104, 105], 0, 5) is not None
    assert miss(shop_modules, tied_shop, "any", [100, 101, 102, 999, 104], 0, 5) == (
        "asked: no product has the id 999: [100, 101, 102, 999, 104]")


def test_any_order_still_catches_descending_prices(shop_modules, tied_shop):
    everything = [100, 101, 102, 103, 104, 105, 106, 107]
    assert miss(shop_modules, tied_shop, "any", everything[::-1], 0, 100) == (
        "asked: not in price order: expected ids [100, 101, 102, 103, 104, 105, 106, 107], "
        "got [107, 106, 105, 104, 103, 102, 101, 100]")
    swapped = [100, 101, 102, 104, 103, 105, 106, 107]  # 3.00 before the last 2.00
    assert miss(shop_modules, tied_shop, "any", swapped, 0, 100) is not None


def test_by_id_a_page_edge_inside_equal_prices_says_which(shop_modules, tied_shop):
    assert miss(shop_modules, tied_shop, "id", [100, 103], 0, 2) == (
        "asked: products [101] missing, [103] listed in their place (in price order, equal "
        "prices by id)")


def test_a_count_miss_says_the_count(shop_modules, tied_shop):
    assert miss(shop_modules, tied_shop, "any", [100, 101], 0, 3) == (
        "asked: expected 3 products, got 2: [100, 101]")
    assert miss(shop_modules, tied_shop, "id", [], 6, 10) == "asked: expected 2 products, got 0: []"


def test_a_long_order_miss_shows_where_it_starts(shop_modules):
    shopdata, helpers = shop_modules
    shop = shopdata.build(4)
    got = [p["id"] for p in shop.ordered()]
    got[20], got[21] = got[21], got[20]
    reason = helpers.page_miss(shop, "id", got, 0, 100, "limit=100")
    assert reason.startswith("limit=100: not in price order from offset 20 on: expected ids "
                             f"[{got[21]}, {got[20]}, ")
    assert len(reason) < 300  # the scorecard keeps 300 characters of a reason


def test_the_hidden_data_has_equal_prices_where_the_checks_look(shop_modules):
    """Without ties among the products the ordering checks list, the tie rule would decide
    nothing: every seed has two runs of equal prices on the first page."""
    shopdata, _ = shop_modules
    for seed in range(200):
        shop = shopdata.build(seed)
        first_page = shop.page(0, 10)
        assert len(first_page) - len({p["price"] for p in first_page}) >= 2, seed
        assert any(shop.alone_at_its_price(p) and p["id"] != shop.fail_stock_update_product
                   for p in shop.ordered())


# -- grading: the scaffold keeps its rule ---------------------------------------------------

EQUAL_PRICES_BY_ID_DESCENDING = [
    ("app/main.py", ".order_by(Product.price, Product.id)",
     ".order_by(Product.price, Product.id.desc())")]


def items(card) -> dict:
    return {item.id: item for item in card.items if item.mode == "auto"}


def with_asks(monkeypatch: pytest.MonkeyPatch, layout: str, asks: dict[str, str]) -> Kata:
    """Grade as if kata.yaml gave `layout` these asks."""
    kata = load_kata("shop-api")
    changed = kata.layouts[layout].model_copy(update={"asks": asks})
    other = kata.model_copy(update={"layouts": {**kata.layouts, layout: changed}})
    monkeypatch.setattr("grader.workspace.load_kata", lambda kata_id: other)
    return other


def test_the_scaffold_still_wants_equal_prices_by_id(grade, reference):
    card = grade(apply_patches(reference, EQUAL_PRICES_BY_ID_DESCENDING), seed=8)
    got = items(card)
    assert card.layout == "scaffold"
    join = got["backend.products_join"]
    assert join.earned < join.points
    assert "not in price order (equal prices by id)" in join.reason
    # An order bug is the join item's alone: pagination judges pages against the app's own list.
    assert all(item.earned == item.points for item_id, item in got.items()
               if item_id != "backend.products_join"), {i: it.reason for i, it in got.items()}


def test_a_layout_that_asks_any_order_takes_it(grade, reference, monkeypatch):
    """The same solution, had the scaffold's statement left equal prices open: full marks."""
    with_asks(monkeypatch, "scaffold", {"price_ties": "any"})
    card = grade(apply_patches(reference, EQUAL_PRICES_BY_ID_DESCENDING), seed=8)
    assert card.score == 100, {item.id: item.reason for item in card.items if item.reason}
    skipped = {check.nodeid: check.message for item in card.items for check in item.checks
               if check.outcome == "skipped"}
    assert skipped[TIES_BY_ID] == ("the scaffold layout's statement asks for price order only: "
                                   "equal prices may come in any order")


PAGES_WRONG_IN_ANY_ORDER = {
    "overlapping pages": [("app/main.py", ".offset(offset)", ".offset(max(offset - 1, 0))")],
    "skipped products": [("app/main.py", ".offset(offset)",
                          ".offset(offset + 1 if offset else 0)")],
}


def test_any_order_of_equal_prices_still_wants_price_order(grade, reference, monkeypatch):
    """Descending prices are wrong in any order of ties, and the join item's alone."""
    with_asks(monkeypatch, "scaffold", {"price_ties": "any"})
    descending = [("app/main.py", ".order_by(Product.price, Product.id)",
                   ".order_by(Product.price.desc(), Product.id)")]
    card = grade(apply_patches(reference, descending), seed=8)
    got = items(card)
    assert got["backend.products_join"].earned < got["backend.products_join"].points
    assert "not in price order" in got["backend.products_join"].reason
    assert got["backend.pagination"].earned == got["backend.pagination"].points


@pytest.mark.parametrize("mistake", list(PAGES_WRONG_IN_ANY_ORDER))
def test_any_order_of_equal_prices_still_fails_wrong_pages(grade, reference, monkeypatch,
                                                           mistake):
    with_asks(monkeypatch, "scaffold", {"price_ties": "any"})
    card = grade(apply_patches(reference, PAGES_WRONG_IN_ANY_ORDER[mistake]), seed=8)
    pagination = items(card)["backend.pagination"]
    assert pagination.earned < pagination.points
    assert any(words in pagination.reason for words in (
        "not in price order", "listed twice", "listed in their place")), pagination.reason


def test_an_unknown_rule_fails_the_checks_that_read_it_with_the_reason(grade, reference,
                                                                         monkeypatch):
    with_asks(monkeypatch, "scaffold", {"price_ties": "anyhow"})
    card = grade(reference, seed=8)
    reason = items(card)["backend.pagination"].reason
    assert reason == ("kata.yaml: layouts.scaffold.asks.price_ties: 'anyhow' is none of id, "
                      "any")


# -- grading: the upstream kit's statement (PostgreSQL) -------------------------------------

@pytest.fixture(scope="module")
def pg_grade(host):
    from grader.options import GradeOptions
    from grader.postgres.shared import SharedPostgres
    from grader.sandbox.capabilities import find_postgres_bin
    from grader.session import grade_one

    if find_postgres_bin() is None:
        reason = "PostgreSQL is not installed here (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the PostgreSQL tests", pytrace=False)
        pytest.skip(reason)
    with SharedPostgres() as cluster:
        yield lambda path, **options: grade_one(path, GradeOptions(**options), host=host,
                                                cluster=cluster)


PRICE_ONLY = [("main.py", ".order_by(Product.price, Product.id)", ".order_by(Product.price)")]


@pytest.mark.parametrize("seed", [12, 4])
def test_upstream_price_order_only_keeps_full_marks(pg_grade, tmp_path, monkeypatch, seed):
    """The kit asks for price order only, and its usual solution sorts by price alone: the
    order of equal prices is then PostgreSQL's, which is not by id."""
    workspace = apply_patches(shutil.copytree(UPSTREAM_SOLVED, tmp_path / "price_only"),
                              PRICE_ONLY)
    card = pg_grade(workspace, kata_id="shop-api", seed=seed)
    got = items(card)
    assert (card.layout, card.database) == ("upstream", "postgres")
    for item_id in PRODUCTS_ITEMS:
        assert got[item_id].earned == got[item_id].points, got[item_id].reason
    outcome = {check.nodeid: check.outcome for item in card.items for check in item.checks}
    assert outcome[TIES_BY_ID] == "skipped"
    # The proof that the hidden data's equal prices decide something: held to the scaffold's
    # rule, the very same answers lose points on both items.
    with_asks(monkeypatch, "upstream", {"price_ties": "id"})
    strict = items(pg_grade(workspace, kata_id="shop-api", seed=seed))
    for item_id in PRODUCTS_ITEMS:
        assert strict[item_id].earned < strict[item_id].points, item_id
    # Pagination loses for its own reason: PostgreSQL orders equal prices differently for
    # different limits, so the pages are not stretches of the app's own full list.
    assert "not in price order (equal prices by id)" in strict["backend.products_join"].reason
