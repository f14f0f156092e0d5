"""field inventory (issue 24): locations, the movement ledger and its cached stock, transfers,
loaner kits, par levels, replenishment orders, cycle counts; a device line's stock source.
The virtual locations (supplier, patient, in transit, loss, count adjustment, quarantine) are
made here, one row each.

Revision ID: d24_inventory
Revises: a022615fc010
"""
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import closeout.db_types

revision: str = 'd24_inventory'
down_revision: Union[str, Sequence[str], None] = 'a022615fc010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

VIRTUAL = [('supplier', 'Supplier'), ('patient', 'Patient'), ('in_transit', 'In transit'), ('loss', 'Loss'),
           ('count_adjustment', 'Count adjustment'), ('quarantine', 'Quarantine')]


def upgrade() -> None:
    op.create_table('stock_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('rep_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['rep_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_location_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_location_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_location_rep_id'), ['rep_id'], unique=False)

    op.create_table('loaner_kit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('home_location_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('due_back', sa.Date(), nullable=True),
    sa.Column('reminded_at', closeout.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['surgical_case.id'], ),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ),
    sa.ForeignKeyConstraint(['home_location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('location_id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('loaner_kit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loaner_kit_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loaner_kit_due_back'), ['due_back'], unique=False)
        batch_op.create_index(batch_op.f('ix_loaner_kit_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loaner_kit_status'), ['status'], unique=False)

    op.create_table('par_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('min_quantity', sa.Integer(), nullable=False),
    sa.Column('max_quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('location_id', 'product_id')
    )
    with op.batch_alter_table('par_level', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_level_location_id'), ['location_id'], unique=False)

    op.create_table('stock_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('posted_at', closeout.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['posted_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['started_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_location_id'), ['location_id'], unique=False)

    op.create_table('stock_transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=False),
    sa.Column('to_location_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', closeout.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['from_location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['to_location_id'], ['stock_location.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_transfer_from_location_id'), ['from_location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_transfer_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_transfer_to_location_id'), ['to_location_id'], unique=False)

    op.create_table('stock_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity >= 0', name='ck_stock_unit_quantity'),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('location_id', 'product_id', 'lot', 'serial', name='uq_stock_unit_key')
    )
    with op.batch_alter_table('stock_unit', schema=None) as batch_op:
        batch_op.create_index('ix_stock_unit_location_expiry', ['location_id', 'expiry'], unique=False)
        batch_op.create_index('ix_stock_unit_location_product', ['location_id', 'product_id', 'id'], unique=False)
        batch_op.create_index('ix_stock_unit_lot', ['lot', 'product_id'], unique=False)
        batch_op.create_index('uq_stock_unit_serial', ['product_id', 'serial'], unique=True, sqlite_where=sa.text("serial <> ''"), postgresql_where=sa.text("serial <> ''"))

    op.create_table('kit_content',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kit_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['kit_id'], ['loaner_kit.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kit_content', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_content_kit_id'), ['kit_id'], unique=False)

    op.create_table('replenishment_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('transfer_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['surgical_case.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['from_location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['replenishmentrequest.id'], ),
    sa.ForeignKeyConstraint(['transfer_id'], ['stock_transfer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('replenishment_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replenishment_order_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_replenishment_order_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_replenishment_order_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_replenishment_order_transfer_id'), ['transfer_id'], unique=False)

    op.create_table('stock_count_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['count_id'], ['stock_count.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_line_count_id'), ['count_id'], unique=False)

    op.create_table('stock_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', closeout.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=False),
    sa.Column('to_location_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('device_line_id', sa.Integer(), nullable=True),
    sa.Column('transfer_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.CheckConstraint('quantity > 0', name='ck_stock_movement_quantity'),
    sa.ForeignKeyConstraint(['case_id'], ['surgical_case.id'], ),
    sa.ForeignKeyConstraint(['from_location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['reverses_id'], ['stock_movement.id'], ),
    sa.ForeignKeyConstraint(['to_location_id'], ['stock_location.id'], ),
    sa.ForeignKeyConstraint(['transfer_id'], ['stock_transfer.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_movement', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movement_case', ['case_id', 'reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movement_device_line_id'), ['device_line_id'], unique=False)
        batch_op.create_index('ix_stock_movement_from', ['from_location_id', 'product_id'], unique=False)
        batch_op.create_index('ix_stock_movement_lot', ['lot', 'product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movement_reverses_id'), ['reverses_id'], unique=False)
        batch_op.create_index('ix_stock_movement_serial', ['serial', 'product_id'], unique=False)
        batch_op.create_index('ix_stock_movement_to', ['to_location_id', 'product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movement_transfer_id'), ['transfer_id'], unique=False)

    op.create_table('stock_transfer_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['transfer_id'], ['stock_transfer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stock_transfer_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_transfer_line_transfer_id'), ['transfer_id'], unique=False)
        batch_op.create_index('ix_stock_transfer_line_lot', ['lot'], unique=False)  # where is lot X: in transit
        batch_op.create_index('ix_stock_transfer_line_serial', ['serial'], unique=False)

    op.create_table('replenishment_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['replenishment_order.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('replenishment_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replenishment_order_line_order_id'), ['order_id'], unique=False)

    with op.batch_alter_table('deviceline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stock_location_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_deviceline_stock_location', 'stock_location', ['stock_location_id'], ['id'])

    locations = sa.table('stock_location', sa.column('kind', sa.String), sa.column('name', sa.String),
                         sa.column('active', sa.Boolean), sa.column('created_at', closeout.db_types.UTCDateTime()))
    op.bulk_insert(locations, [{'kind': kind, 'name': name, 'active': True, 'created_at': datetime.now(UTC)} for kind, name in VIRTUAL])


def downgrade() -> None:
    with op.batch_alter_table('deviceline', schema=None) as batch_op:
        batch_op.drop_constraint('fk_deviceline_stock_location', type_='foreignkey')
        batch_op.drop_column('stock_location_id')
    for table in ('replenishment_order_line', 'stock_transfer_line', 'stock_movement', 'stock_count_line',
                  'replenishment_order', 'kit_content', 'stock_unit', 'stock_transfer', 'stock_count', 'par_level',
                  'loaner_kit', 'stock_location'):
        op.drop_table(table)
