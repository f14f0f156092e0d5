"""day one: directory (issue 13)

Facilities get a time zone, an active flag and a patient identifier pattern; a contact's one
`role` becomes three role flags (billing, purchasing, OR), with a phone and an active flag;
surgeons are linked to the facilities they operate at (seeded from the cases already there).

Revision ID: d13_directory
Revises: b1fdccb82bc5
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd13_directory'
down_revision: Union[str, Sequence[str], None] = 'b1fdccb82bc5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ROLES = ("billing", "purchasing", "or")
contact = sa.table("facilitycontact", sa.column("role", sa.String), *(sa.column(f"is_{r}", sa.Boolean) for r in ROLES))


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), server_default='America/Los_Angeles', nullable=False))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('patient_ref_pattern', sqlmodel.sql.sqltypes.AutoString(length=200), server_default='', nullable=False))

    with op.batch_alter_table('facilitycontact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('is_billing', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_purchasing', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_or', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    for role in ROLES:  # the old single role carries over to its flag
        op.execute(contact.update().where(contact.c.role == role).values({f"is_{role}": True}))
    with op.batch_alter_table('facilitycontact', schema=None) as batch_op:
        batch_op.drop_column('role')

    op.create_table('facility_surgeon',
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('surgeon_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['surgeon_id'], ['surgeon.id'], ),
    sa.PrimaryKeyConstraint('facility_id', 'surgeon_id')
    )
    with op.batch_alter_table('facility_surgeon', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facility_surgeon_surgeon_id'), ['surgeon_id'], unique=False)
    # Every surgeon already on a facility's cases operates there.
    link = sa.table("facility_surgeon", sa.column("facility_id"), sa.column("surgeon_id"), sa.column("active", sa.Boolean))
    cases = sa.table("surgical_case", sa.column("facility_id"), sa.column("surgeon_id"))
    pairs = sa.select(cases.c.facility_id, cases.c.surgeon_id, sa.true()).distinct()
    op.execute(link.insert().from_select(["facility_id", "surgeon_id", "active"], pairs))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('facility_surgeon', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facility_surgeon_surgeon_id'))
    op.drop_table('facility_surgeon')

    with op.batch_alter_table('facilitycontact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='', nullable=False))
    for role in reversed(ROLES):  # several roles become one: billing wins, then purchasing
        op.execute(contact.update().where(contact.c[f"is_{role}"] == sa.true()).values(role=role))
    with op.batch_alter_table('facilitycontact', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('is_or')
        batch_op.drop_column('is_purchasing')
        batch_op.drop_column('is_billing')
        batch_op.drop_column('phone')

    with op.batch_alter_table('facility', schema=None) as batch_op:
        batch_op.drop_column('patient_ref_pattern')
        batch_op.drop_column('active')
        batch_op.drop_column('time_zone')
