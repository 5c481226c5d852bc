"""backend.category: the Category model, its table as the migrations create it, the seed.

What the model declares is read inside the candidate's process; what the table is, the grader
reads from the database itself.
"""

from __future__ import annotations

import pytest


def _model(schema, name: str) -> dict:
    if schema.models_error:
        pytest.fail(f"the models do not import: {schema.models_error}", pytrace=False)
    model = schema.classes.get(name)
    assert model is not None, (
        f"no mapped class {name}; found {', '.join(schema.classes) or 'none'}")
    return model


def test_category_model_has_id_and_name(schema):
    category = _model(schema, "Category")
    assert category["table"] == "categories", (
        f"Category should map the table 'categories', got {category['table']!r}")
    columns = category["columns"]
    assert "id" in columns and columns["id"]["primary_key"], "Category.id must be the primary key"
    assert "INT" in columns["id"]["type"].upper(), (
        f"Category.id: expected an integer, got {columns['id']['type']}")
    assert "name" in columns, "Category has no name column"
    assert not columns["name"]["nullable"], "Category.name must be NOT NULL"


def test_relationship_both_ways(schema):
    category, product = _model(schema, "Category"), _model(schema, "Product")
    products = category["relationships"].get("products")
    back = product["relationships"].get("category")
    assert products and products["target"] == "Product", (
        f"Category.products should be a relationship to Product, got {products!r}")
    assert back and back["target"] == "Category", (
        f"Product.category should be a relationship to Category, got {back!r}")
    assert products["direction"] == "ONETOMANY" and back["direction"] == "MANYTOONE", (
        "Category.products should be one-to-many and Product.category many-to-one")


def test_migrations_create_the_categories_table(schema, db):
    assert schema.migrations, "the workspace has no migrations (alembic.ini)"
    assert not schema.migrations_error, f"`alembic upgrade head` failed: {schema.migrations_error}"
    assert "categories" not in schema.missing_tables_created, (
        "`alembic upgrade head` ran, but no migration creates the categories table")


def test_categories_table_in_the_database(schema, db):
    assert "categories" not in schema.missing_tables_created, (
        "the migrated database has no categories table")
    columns = db.columns("categories")
    assert columns["id"].primary_key, "categories.id is not the primary key"
    assert not columns["name"].nullable, "categories.name may be NULL in the database"
    assert frozenset({"name"}) in db.unique_column_sets("categories"), (
        "categories.name is not unique in the database")


def test_products_reference_categories(schema, db):
    assert "categories" not in schema.missing_tables_created, (
        "the migrated database has no categories table")
    keys = [(fk.column, fk.table, fk.target) for fk in db.foreign_keys("products")]
    assert ("category_id", "categories", "id") in keys, (
        f"products.category_id should reference categories.id; foreign keys found: {keys}")


def test_seed_script_loads(candidate):
    result, seeded = candidate.seed_result()
    assert result.code == 0, f"{candidate.layout.seed} failed: {result.reason()}"
    counts = {t: seeded.query(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]
              for t in ("categories", "products")}
    assert all(counts.values()), f"the seed left tables empty: {counts}"
