"""perf.count: the database counts and pages: `total` comes from a COUNT, and the page from a
query with a LIMIT, so no request loads every matching row to count or cut them in Python.

Read from the SQL texts the request ran (api.statements_since), not from the app's answer.
"""

from __future__ import annotations

import re

from search_helpers import asked, listing


def _ran(api, **params) -> tuple[dict, list[str]]:
    mark = api.statement_mark()
    body = listing(api, **params)
    texts = [" ".join(text.lower().split()) for text in api.statements_since(mark)]
    assert texts, f"{asked(params)} ran no SQL statement: its answer is not the database's"
    return body, texts


def test_total_comes_from_a_count(api, shop):
    body, texts = _ran(api, page_size=3, in_stock="true")
    want = len(shop.matching(in_stock=True))
    assert body.get("total") == want, (
        f"GET /products?page_size=3&in_stock=true: expected total {want}, got {body.get('total')}")
    assert any("count(" in text for text in texts), (
        "GET /products?page_size=3&in_stock=true ran no COUNT: total counted in Python, "
        f"after loading every row ({len(texts)} statements: {texts[0][:80]}...)")


def test_the_page_is_cut_by_the_database(api):
    _, texts = _ran(api, page_size=3, page=2)
    rows = [text for text in texts if re.search(r'\bfrom "?products\b', text)]
    # SQLite's OFFSET needs a LIMIT: SQLAlchemy writes LIMIT -1 (none) when only offset is given.
    assert any(re.search(r"\blimit (?!-1\b|all\b)", text) for text in rows), (
        "GET /products?page_size=3&page=2 selected its rows without a LIMIT: every row loaded, "
        f"the page cut in Python ({(rows or texts)[0][:80]}...)")
