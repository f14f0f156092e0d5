"""review fixes: manufacturer uniqueness in the database (issue 13 review)

Revision ID: d14_review_fixes
Revises: d14_signatures
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'd14_review_fixes'
down_revision: Union[str, Sequence[str], None] = 'd14_signatures'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A manufacturer's HIBC labeler code (when it has one) and its name in any letter case
    belong to no other manufacturer: the code check of the catalog page, held by the database
    too, so two managers adding at the same moment cannot both succeed."""
    op.create_index('uq_manufacturer_hibc_lic', 'manufacturer', ['hibc_lic'], unique=True,
                    sqlite_where=sa.text("hibc_lic <> ''"), postgresql_where=sa.text("hibc_lic <> ''"))
    op.create_index('uq_manufacturer_lower_name', 'manufacturer', [sa.text('lower(name)')], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('uq_manufacturer_lower_name', table_name='manufacturer')
    op.drop_index('uq_manufacturer_hibc_lic', table_name='manufacturer')
