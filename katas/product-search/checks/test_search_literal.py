"""search.q_literal: `q` is text, never SQL or a LIKE pattern: a `%` or `_` in it matches that
character only, and a `'` neither breaks the query nor changes it.

The hidden catalogue holds, beside each product whose name has one of them, a decoy that the
character read as a LIKE wildcard would match too (catalogue.LITERAL_NAMES).
"""

from __future__ import annotations

import catalogue
import pytest
from search_helpers import asked, every_id, status_of


@pytest.mark.parametrize("kind", sorted(catalogue.LITERAL_QUERIES))
def test_special_characters_match_literally(api, shop, kind):
    q = catalogue.LITERAL_QUERIES[kind]
    status, answer = status_of(api, q=q, page_size=100)
    assert status == 200, f"{asked({'q': q})}: expected 200, got {answer}"
    got = every_id(api, q=q)
    want = [p["id"] for p in shop.matching(q=q)]
    named, decoy = catalogue.LITERAL_NAMES[kind]
    assert sorted(got) == sorted(want), (
        f"{asked({'q': q})}: expected only {named!r} (id {shop.named(named)['id']}), got ids "
        f"{got}" + (f"; {decoy!r} matched as if {q!r} were a LIKE pattern"
                    if shop.named(decoy)["id"] in got else ""))


def test_a_quote_cannot_inject_sql(api, shop, db):
    q = "x' OR '1'='1"
    status, answer = status_of(api, q=q)
    assert status == 200, f"{asked({'q': q})}: expected 200 and no product, got {answer}"
    got = every_id(api, q=q)
    assert got == [], f"{asked({'q': q})}: expected no product, got {len(got)}: SQL injection"
    left = db.query("SELECT COUNT(*) AS n FROM products")[0]["n"]
    assert left == len(shop.products), f"products table has {left} rows, not {len(shop.products)}"
