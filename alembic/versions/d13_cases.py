"""day one: cases (issue 13): new case details, cancelling, safe case numbers

Revision ID: d13_cases
Revises: d13_catalog
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd13_cases'
down_revision: Union[str, Sequence[str], None] = 'd13_catalog'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'case_number_counter',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('year'),
    )
    with op.batch_alter_table('surgical_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('surgery_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('facility_case_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('cancelled_at', closeout.db_types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))
        batch_op.create_foreign_key('fk_surgical_case_cancelled_by_id_app_user', 'app_user', ['cancelled_by_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('surgical_case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_surgical_case_cancelled_by_id_app_user', type_='foreignkey')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('facility_case_number')
        batch_op.drop_column('surgery_time')
    op.drop_table('case_number_counter')
