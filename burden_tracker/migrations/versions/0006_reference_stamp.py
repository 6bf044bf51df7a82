"""reference stamp

Settings, departments and categories are read on every list page and change rarely, so each worker
keeps a copy (queries/reference.py). Triggers give reference_stamp a new random stamp whenever any of
them changes, whoever changes them, and the sign-in check reads it on each request. Random rather than
counted: a stamp must never come back with other data, as a count would after a restore or TRUNCATE.

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("settings", "departments", "categories")
NEW_STAMP = {"sqlite": "lower(hex(randomblob(16)))", "postgresql": "gen_random_uuid()::text"}


def _triggers(dialect: str) -> list[str]:
    restamp = f"INSERT INTO reference_stamp (id, stamp) VALUES (1, {NEW_STAMP[dialect]}) " \
              "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp"
    if dialect == "sqlite":  # row triggers only, one per kind of change
        return [f"CREATE TRIGGER reference_{table}_{change.lower()} AFTER {change} ON {table} "
                f"BEGIN {restamp}; END" for table in TABLES for change in ("INSERT", "UPDATE", "DELETE")]
    return [f"CREATE FUNCTION reference_restamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{restamp}; RETURN NULL; END $$",
            *(f"CREATE TRIGGER reference_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
              "FOR EACH STATEMENT EXECUTE FUNCTION reference_restamp()" for table in TABLES)]


def _drop_triggers(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER reference_{table}_{change}" for table in TABLES
                for change in ("insert", "update", "delete")]
    return [*(f"DROP TRIGGER reference_{table} ON {table}" for table in TABLES),
            "DROP FUNCTION reference_restamp()"]


def upgrade() -> None:
    op.create_table(
        'reference_stamp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    dialect = op.get_bind().dialect.name
    op.execute(f"INSERT INTO reference_stamp (id, stamp) VALUES (1, {NEW_STAMP[dialect]})")
    for statement in _triggers(dialect):
        op.execute(statement)


def downgrade() -> None:
    for statement in _drop_triggers(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('reference_stamp')
