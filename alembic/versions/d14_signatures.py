"""billing controls: signatures (issue 14)

Revision ID: d14_signatures
Revises: d14_requirements
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd14_signatures'
down_revision: Union[str, Sequence[str], None] = 'd14_requirements'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: signatures bound to people (account and secret, or link and screen),
    a provider's title, the facility's time zone, a pre-authorization's lines; a user's
    signing PIN. Existing rows keep their values; the new columns start blank."""
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signing_pin_hash', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('signing_pin_failures', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.alter_column('signer_name', existing_type=sqlmodel.sql.sqltypes.AutoString(length=80),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=120), existing_nullable=False)
        batch_op.add_column(sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=80), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('signed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('secret_method', sqlmodel.sql.sqltypes.AutoString(length=10), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('link_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('screen', sqlmodel.sql.sqltypes.AutoString(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('lines', sa.JSON(), nullable=True))
        batch_op.create_foreign_key('fk_signature_signed_by_id_app_user', 'app_user', ['signed_by_id'], ['id'])
        batch_op.create_foreign_key('fk_signature_link_id_signinglink', 'signinglink', ['link_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_constraint('fk_signature_link_id_signinglink', type_='foreignkey')
        batch_op.drop_constraint('fk_signature_signed_by_id_app_user', type_='foreignkey')
        for column in ('lines', 'time_zone', 'screen', 'link_id', 'secret_method', 'signed_by_id', 'title'):
            batch_op.drop_column(column)
        batch_op.alter_column('signer_name', existing_type=sqlmodel.sql.sqltypes.AutoString(length=120),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=80), existing_nullable=False)
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('signing_pin_failures')
        batch_op.drop_column('signing_pin_hash')
