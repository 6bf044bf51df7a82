"""Sites

A health system's hospitals and clinics, above its departments: each department belongs to one site. Existing
departments go to one site, "Main site", which an admin renames. Site names are read with the departments' on
every list page, so a change to them gives reference_stamp a new stamp, as departments' do (0006).

Revision ID: 0035
Revises: 0034
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0035'
down_revision: Union[str, Sequence[str], None] = '0034'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NEW_STAMP = {"sqlite": "lower(hex(randomblob(16)))", "postgresql": "gen_random_uuid()::text"}
RESTAMP = "INSERT INTO reference_stamp (id, stamp) VALUES (1, {}) ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp"


def upgrade() -> None:
    op.create_table(
        'sites',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.execute("INSERT INTO sites (id, name, active) VALUES (1, 'Main site', TRUE)")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('sites', 'id'), 1)")
    # Plain ALTER TABLE ADD COLUMN, which SQLite has (with its reference, since the column may be NULL): a rebuilt
    # table would lose its triggers.
    if dialect == "sqlite":
        op.execute("ALTER TABLE departments ADD COLUMN site_id INTEGER REFERENCES sites (id)")
    else:
        op.add_column('departments', sa.Column('site_id', sa.Integer(), nullable=True))
        op.create_foreign_key('departments_site_id_fkey', 'departments', 'sites', ['site_id'], ['id'])
    op.execute("UPDATE departments SET site_id = 1")
    op.create_index('ix_departments_site_id', 'departments', ['site_id'], unique=False)
    restamp = RESTAMP.format(NEW_STAMP[dialect])
    if dialect == "sqlite":
        for change in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER reference_sites_{change.lower()} AFTER {change} ON sites BEGIN {restamp}; END")
    else:
        op.execute("CREATE TRIGGER reference_sites AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites "
                   "FOR EACH STATEMENT EXECUTE FUNCTION reference_restamp()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for change in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER reference_sites_{change}")
    else:
        op.execute("DROP TRIGGER reference_sites ON sites")
    op.drop_index('ix_departments_site_id', table_name='departments')
    op.execute("ALTER TABLE departments DROP COLUMN site_id")  # both databases have it: no table rebuilt
    op.drop_table('sites')
