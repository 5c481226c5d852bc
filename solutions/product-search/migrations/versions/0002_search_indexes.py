"""An index for the search's filters: the category, and the price range within one.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_products_category_price", "products", ["category", "price"])


def downgrade() -> None:
    op.drop_index("ix_products_category_price", table_name="products")
