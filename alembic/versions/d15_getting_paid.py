"""getting paid: buyer PO links, PO documents, invoices, payments, sales order revisions,
PO reminder settings per facility and pauses per case, failed reminder attempts (issue 15)

Revision ID: d15_getting_paid
Revises: d14_review_fixes
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import closeout.db_types

revision: str = 'd15_getting_paid'
down_revision: Union[str, Sequence[str], None] = 'd14_review_fixes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = closeout.db_types.UTCDateTime
MONEY = closeout.db_types.Money


def upgrade() -> None:
    op.create_table(
        'po_link',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('surgical_case.id'), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('purpose', sa.String(300), nullable=False, server_default=''),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('expires_at', UTC(), nullable=False),
        sa.Column('used_at', UTC(), nullable=True),
        sa.Column('revoked_at', UTC(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=True),
        sa.Column('revoked_reason', sa.String(100), nullable=False, server_default=''),
    )
    op.create_index('ix_po_link_case_id', 'po_link', ['case_id'])
    op.create_table(
        'po_document',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('surgical_case.id'), nullable=False),
        sa.Column('filename', sa.String(120), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('uploaded_at', UTC(), nullable=False),
        sa.Column('uploaded_by', sa.String(254), nullable=False),
        sa.Column('link_id', sa.Integer(), sa.ForeignKey('po_link.id'), nullable=True),
    )
    op.create_index('ix_po_document_case_id', 'po_document', ['case_id'])
    op.create_table(
        'invoice',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('surgical_case.id'), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('number', sa.String(40), nullable=False),
        sa.Column('invoice_date', sa.Date(), nullable=False),
        sa.Column('amount', MONEY(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('credited_at', UTC(), nullable=True),
        sa.Column('credit_reason', sa.String(200), nullable=False, server_default=''),
    )
    op.create_index('ix_invoice_case_id', 'invoice', ['case_id'])
    op.create_index('ix_invoice_number', 'invoice', ['number'])
    op.create_table(
        'payment',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('surgical_case.id'), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('amount', MONEY(), nullable=False),
        sa.Column('reference', sa.String(60), nullable=False, server_default=''),
        sa.Column('entry_id', sa.String(40), nullable=True, unique=True),
        sa.Column('recorded_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('recorded_at', UTC(), nullable=False),
    )
    op.create_index('ix_payment_case_id', 'payment', ['case_id'])
    op.create_table(
        'sales_order_revision',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('surgical_case.id'), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(30), nullable=False),
        sa.Column('total', MONEY(), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('reason', sa.String(200), nullable=False),
        sa.Column('superseded_at', UTC(), nullable=False),
        sa.Column('superseded_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.UniqueConstraint('case_id', 'revision'),
    )
    op.create_index('ix_sales_order_revision_case_id', 'sales_order_revision', ['case_id'])
    with op.batch_alter_table('facility') as batch:
        batch.add_column(sa.Column('po_reminders_on', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column('po_reminder_days', sa.Integer(), nullable=False, server_default='7'))
        batch.add_column(sa.Column('po_reminder_recipients', sa.String(20), nullable=False, server_default='billing'))
        batch.add_column(sa.Column('po_reminder_text', sa.String(2000), nullable=False, server_default=''))
    with op.batch_alter_table('surgical_case') as batch:
        batch.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('invoiced_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('invoice_amount', MONEY(), nullable=True))
        batch.add_column(sa.Column('paid_amount', MONEY(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('po_reminders_paused_at', UTC(), nullable=True))
        batch.add_column(sa.Column('po_reminders_pause_reason', sa.String(200), nullable=False, server_default=''))
        batch.add_column(sa.Column('po_reminders_paused_by_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_case_po_reminders_paused_by', 'app_user', ['po_reminders_paused_by_id'], ['id'])
    with op.batch_alter_table('purchaseorder') as batch:
        batch.alter_column('entered_by_id', existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column('entered_by_email', sa.String(254), nullable=False, server_default=''))
        batch.add_column(sa.Column('link_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_purchaseorder_link', 'po_link', ['link_id'], ['id'])
        batch.create_foreign_key('fk_purchaseorder_document', 'po_document', ['document_id'], ['id'])
    with op.batch_alter_table('po_reminder') as batch:
        batch.alter_column('recipient', existing_type=sa.String(254), type_=sa.String(2000))
        batch.add_column(sa.Column('status', sa.String(10), nullable=False, server_default='sent'))
        batch.add_column(sa.Column('error', sa.String(300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('po_reminder') as batch:
        batch.drop_column('error')
        batch.drop_column('status')
        batch.alter_column('recipient', existing_type=sa.String(2000), type_=sa.String(254))
    with op.batch_alter_table('purchaseorder') as batch:
        batch.drop_constraint('fk_purchaseorder_document', type_='foreignkey')
        batch.drop_constraint('fk_purchaseorder_link', type_='foreignkey')
        batch.drop_column('document_id')
        batch.drop_column('link_id')
        batch.drop_column('entered_by_email')
        batch.alter_column('entered_by_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('surgical_case') as batch:
        batch.drop_constraint('fk_case_po_reminders_paused_by', type_='foreignkey')
        for column in ('po_reminders_paused_by_id', 'po_reminders_pause_reason', 'po_reminders_paused_at', 'paid_on',
                       'paid_amount', 'invoice_amount', 'invoiced_on', 'revision'):
            batch.drop_column(column)
    with op.batch_alter_table('facility') as batch:
        for column in ('po_reminder_text', 'po_reminder_recipients', 'po_reminder_days', 'po_reminders_on'):
            batch.drop_column(column)
    for table in ('sales_order_revision', 'payment', 'invoice', 'po_document', 'po_link'):
        op.drop_table(table)
