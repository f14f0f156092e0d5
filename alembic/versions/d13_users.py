"""day one: users (issue 13)

Revision ID: d13_users
Revises: d13_directory
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd13_users'
down_revision: Union[str, Sequence[str], None] = 'd13_directory'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: users can be deactivated, reps cover facilities, one-time invitation links.
    Every existing user stays active; reps cover the facilities of the cases they already have."""
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))

    op.create_table('user_facility',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'facility_id')
    )
    with op.batch_alter_table('user_facility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_facility_facility_id'), ['facility_id'], unique=False)
    op.execute(
        "INSERT INTO user_facility (user_id, facility_id) SELECT DISTINCT c.rep_id, c.facility_id "
        "FROM surgical_case c JOIN app_user u ON u.id = c.rep_id WHERE u.role = 'sales_rep'"
    )

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', closeout.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', closeout.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_user_id'))
    op.drop_table('invitation')
    with op.batch_alter_table('user_facility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_facility_facility_id'))
    op.drop_table('user_facility')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('active')
