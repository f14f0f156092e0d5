"""day one: catalog (issue 13)

Contract prices get an effective date range (existing prices: in force from 2000-01-01, no
end), a product may have no GTIN (HIBC-labelled only), and catalog imports run as jobs.

Revision ID: d13_catalog
Revises: d13_users
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel
import closeout.db_types

# revision identifiers, used by Alembic.
revision: str = 'd13_catalog'
down_revision: Union[str, Sequence[str], None] = 'd13_users'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# SQLite's unique constraints were created unnamed: batch mode names them by this convention.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
OLD_UNIQUE = ["price_list_id", "product_id"]
NEW_UNIQUE = ["price_list_id", "product_id", "effective_from"]


def _unique_named(columns: list[str]) -> str:
    """The name the database gave the unique constraint on `columns` (PostgreSQL names
    unnamed ones itself; on SQLite it is the batch convention's)."""
    for found in sa.inspect(op.get_bind()).get_unique_constraints("pricelistitem"):
        if found["column_names"] == columns and found["name"]:
            return found["name"]
    return NAMING["uq"] % {"table_name": "pricelistitem", "column_0_N_name": "_".join(columns)}


def _swap_unique(old: list[str], new: list[str]) -> None:
    name = _unique_named(old)
    with op.batch_alter_table("pricelistitem", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(name, type_="unique")
        batch_op.create_unique_constraint(f"uq_pricelistitem_{'_'.join(new)}", new)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.alter_column("gtin", existing_type=sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True)
    with op.batch_alter_table("pricelistitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effective_from", sa.Date(), nullable=False, server_default="2000-01-01"))
        batch_op.add_column(sa.Column("effective_to", sa.Date(), nullable=True))
    _swap_unique(OLD_UNIQUE, NEW_UNIQUE)
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("done_rows", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", closeout.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", closeout.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", closeout.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    """Downgrade schema: only the price in force today survives per list and product (the
    old table holds one). Products without a GTIN stop it: give them one first."""
    op.drop_table("import_job")
    op.execute(
        "DELETE FROM pricelistitem WHERE id NOT IN (SELECT MAX(id) FROM pricelistitem "
        "WHERE effective_from <= CURRENT_DATE AND (effective_to IS NULL OR effective_to >= CURRENT_DATE) "
        "GROUP BY price_list_id, product_id)"
    )
    _swap_unique(NEW_UNIQUE, OLD_UNIQUE)
    with op.batch_alter_table("pricelistitem", schema=None) as batch_op:
        batch_op.drop_column("effective_to")
        batch_op.drop_column("effective_from")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.alter_column("gtin", existing_type=sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False)
