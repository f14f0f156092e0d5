"""billing controls: requirements (issue 14)

What each facility requires before Submit for Billing: case details (its own case number, the
patient identifier, the procedure, the surgery time) and, on implants, the lot, serial and
expiry. Every flag starts off: existing facilities keep today's rule.

Revision ID: d14_requirements
Revises: d14_prices
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd14_requirements'
down_revision: Union[str, Sequence[str], None] = 'd14_prices'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


COLUMNS = ("requires_case_number", "requires_patient_ref", "requires_procedure", "requires_surgery_time",
           "implants_need_lot", "implants_need_serial", "implants_need_expiry")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('facility', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('facility', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
