"""po draft documents: the buyer's attached PO document waits here (not in the tab's state);
user_session.handover_until: a one-time sign-in code exchanged for the HttpOnly session cookie

Revision ID: a022615fc010
Revises: d17_offline_sync
Create Date: 2026-12-07 21:51:56.752599

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'a022615fc010'
down_revision: Union[str, Sequence[str], None] = 'd17_offline_sync'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('po_draft_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['po_link.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash'),
    sa.UniqueConstraint('link_id')
    )
    with op.batch_alter_table('po_draft_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_po_draft_document_expires_at'), ['expires_at'], unique=False)
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handover_until', closeout.db_types.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('handover_until')
    with op.batch_alter_table('po_draft_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_po_draft_document_expires_at'))

    op.drop_table('po_draft_document')
