"""paging.sort_whitelist: `sort_by` names one of the statement's fields, and nothing else of the
model is reachable through it: another column, a relationship, a dunder, SQL: all 422."""

from __future__ import annotations

import catalogue
import pytest
from search_helpers import asked, require_a_listing, status_of

NOT_SORTABLE = ["description", "tags", "id; DROP TABLE products", "__class__", "__table__",
                "metadata", "_sa_instance_state", "registry", "popularity"]


@pytest.mark.parametrize("field", catalogue.SORT_FIELDS)
def test_every_allowed_field_is_accepted(api, field):
    status, answer = status_of(api, sort_by=field)
    assert status == 200, f"{asked({'sort_by': field})}: expected 200, got {answer}"


def test_nothing_else_is_reachable(api):
    require_a_listing(api)
    let_through = []
    for field in NOT_SORTABLE:
        status, answer = status_of(api, sort_by=field)
        if status != 422:
            let_through.append(f"{field!r}: {answer[:60]}")
    assert not let_through, f"sort_by: expected 422, got {'; '.join(let_through)}"
