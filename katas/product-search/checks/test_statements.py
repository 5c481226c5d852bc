"""perf.statements: one request runs the same number of SQL statements whatever its page size:
no query per product (for its tags, say), the N+1 problem."""

from __future__ import annotations

from search_helpers import listing


def test_statement_count_does_not_grow_with_the_page(api):
    counts = []
    for size in (2, 10, 50):
        before = api.statements()
        listing(api, page_size=size, sort_by="price")
        counts.append(api.statements() - before)
    assert counts[0] > 0, "GET /products ran no SQL statement: its answer is not the database's"
    assert counts[0] == counts[1] == counts[2], (
        f"SQL statements for pages of 2, 10 and 50 products: {counts} (a query per product; "
        "load the page's tags in one query)")
