"""Add categories, and make products.category_id a foreign key to them.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
    )
    # SQLite cannot add a foreign key to an existing table: batch mode copies the table there,
    # and is a plain ALTER TABLE on PostgreSQL.
    with op.batch_alter_table("products") as batch_op:
        batch_op.create_foreign_key(
            "fk_products_category_id_categories", "categories", ["category_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("products") as batch_op:
        batch_op.drop_constraint("fk_products_category_id_categories", type_="foreignkey")
    op.drop_table("categories")
