"""offline sync: the answers given to queued offline changes, so a retry never applies twice (issue 17)

Revision ID: d17_offline_sync
Revises: d15_getting_paid
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import closeout.db_types

revision: str = 'd17_offline_sync'
down_revision: Union[str, Sequence[str], None] = 'd15_getting_paid'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'sync_change',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('change_id', sa.String(64), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('surgical_case.id'), nullable=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('result', sa.String(10), nullable=False),
        sa.Column('response', sa.JSON(), nullable=True),
        sa.Column('received_at', closeout.db_types.UTCDateTime(), nullable=False),
        sa.UniqueConstraint('user_id', 'change_id'),
    )
    op.create_index('ix_sync_change_case_id', 'sync_change', ['case_id'])
    op.create_index('ix_sync_change_user_case', 'sync_change', ['user_id', 'case_id'])  # what this user synced on a case


def downgrade() -> None:
    op.drop_table('sync_change')
