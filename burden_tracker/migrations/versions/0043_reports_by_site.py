"""Reports by site

A site's dashboard and workbook: the kept figures now hold, within each site, its figures by category, source,
role and outcome, its pipeline and its moves (queries/figure_shares.WITHIN_SITE). Forgotten here, they are counted
afresh, with them, by the `burden-tracker init` that runs this migration; reports count live until then.

A closed quarter keeps each site's report (quarter_closings.site_reports), its stored rows note each nomination's
site as it was closed, and a kept workbook may be one site's. Quarters closed before this keep no site's report:
each site's is had by reopening and closing again.

Revision ID: 0043
Revises: 0042
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0043'
down_revision: Union[str, Sequence[str], None] = '0042'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")
    op.add_column('closed_rows', sa.Column('site_id', sa.Integer(), nullable=True))
    op.add_column('quarter_closings', sa.Column('site_reports', sa.Text(), nullable=True))
    # Plain ALTER TABLE ADD COLUMN, which SQLite has with its reference (the column may be NULL): no table rebuilt.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE workbooks ADD COLUMN site_id INTEGER REFERENCES sites (id)")
    else:
        op.add_column('workbooks', sa.Column('site_id', sa.Integer(), nullable=True))
        op.create_foreign_key('workbooks_site_id_fkey', 'workbooks', 'sites', ['site_id'], ['id'])


def downgrade() -> None:
    op.execute("ALTER TABLE workbooks DROP COLUMN site_id")
    op.execute("ALTER TABLE closed_rows DROP COLUMN site_id")
    op.execute("ALTER TABLE quarter_closings DROP COLUMN site_reports")
    for table in ('kept_days', 'kept_figures', 'kept_quarters'):
        op.execute(f"DELETE FROM {table}")
