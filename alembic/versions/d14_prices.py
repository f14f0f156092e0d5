"""billing controls: prices (issue 14)

Revision ID: d14_prices
Revises: d13_cases
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd14_prices'
down_revision: Union[str, Sequence[str], None] = 'd13_cases'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# The contract price in force on the case's surgery date at its facility, else the list price:
# what an edited line departs from (services/catalog.py's contract_price, in SQL).
_PRICE_IN_FORCE = """COALESCE(
    (SELECT i.price FROM pricelistitem i
       JOIN facility f ON f.price_list_id = i.price_list_id
       JOIN surgical_case c ON c.facility_id = f.id
      WHERE c.id = deviceline.case_id AND i.product_id = deviceline.product_id
        AND i.effective_from <= c.surgery_date AND (i.effective_to IS NULL OR i.effective_to >= c.surgery_date)
      ORDER BY i.effective_from DESC LIMIT 1),
    (SELECT p.list_price FROM product p WHERE p.id = deviceline.product_id))"""


def upgrade() -> None:
    """Upgrade schema: who may edit prices (nobody yet), the reason and the price in force on
    each line, and the case's "prices edited" flag, filled in from the lines already there.
    Edits made before this have no reason on record: it stays blank."""
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_edit_prices', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('deviceline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price_reason', sqlmodel.sql.sqltypes.AutoString(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('catalog_price', closeout.db_types.Money(), nullable=True))
    with op.batch_alter_table('surgical_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prices_edited', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_case_prices_edited_status_date', ['prices_edited', 'status', 'surgery_date'], unique=False)
    op.execute(f"UPDATE deviceline SET catalog_price = {_PRICE_IN_FORCE} WHERE price_source = 'edited'")
    op.execute(
        "UPDATE surgical_case SET prices_edited = EXISTS (SELECT 1 FROM deviceline l "
        "WHERE l.case_id = surgical_case.id AND l.price_source = 'edited')"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('surgical_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_prices_edited_status_date')
        batch_op.drop_column('prices_edited')
    with op.batch_alter_table('deviceline', schema=None) as batch_op:
        batch_op.drop_column('catalog_price')
        batch_op.drop_column('price_reason')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('may_edit_prices')
