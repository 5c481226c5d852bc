"""perf.index: the migrations create an index that a filter uses, as the database's own
catalogue shows (sqlite_master, pg_indexes): its first column is one the filters compare.
On SQLite the query planner is asked too, for a query on that column."""

from __future__ import annotations

import re

import catalogue
import pytest


def _indexes(db) -> list[tuple[str, str, str]]:
    """(table, index, first column) of every index the schema's creator made, primary keys and
    unique constraints' own indexes aside."""
    found = []
    if db.kind == "sqlite":
        for row in db.query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' "
                            "AND sql IS NOT NULL"):
            columns = db.query("SELECT name FROM pragma_index_info(:index) ORDER BY seqno",
                               {"index": row["name"]})
            if columns and columns[0]["name"]:
                found.append((row["tbl_name"], row["name"], columns[0]["name"]))
        return found
    for row in db.query("SELECT tablename, indexname, indexdef FROM pg_indexes "
                        "WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'"):
        columns = re.search(r"\((.*)\)", row["indexdef"])
        first = columns.group(1).split(",")[0].strip().strip('"') if columns else ""
        found.append((row["tablename"], row["indexname"], first))
    return found


def _serving(db) -> list[tuple[str, str, str]]:
    return [(table, index, column) for table, index, column in _indexes(db)
            if column in catalogue.FILTER_COLUMNS.get(table, ())]


def test_a_migration_indexes_a_filter_column(db, schema):
    if schema.migrations is None or schema.migrations_error or schema.created_from_metadata:
        pytest.fail(f"the schema did not come from the migrations "
                    f"({schema.migrations_error or 'none ran'})", pytrace=False)
    serving = _serving(db)
    wanted = ", ".join(f"{t}.{c}" for t, cs in catalogue.FILTER_COLUMNS.items() for c in sorted(cs))
    assert serving, (f"no index on a filter column ({wanted}); the schema has "
                     f"{[f'{i} on {t}({c})' for t, i, c in _indexes(db)] or 'none'}")


def test_the_planner_uses_it(db):
    if db.kind != "sqlite":
        pytest.skip("PostgreSQL scans a table this small whatever its indexes")
    serving = _serving(db)
    assert serving, "no index on a filter column to plan with"
    table, index, column = serving[0]
    plan = " ".join(str(row.get("detail", "")) for row in db.query(
        f"EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE {column} = :value", {"value": "x"}))
    assert index in plan, f"a query on {table}.{column} does not use {index}: {plan}"
