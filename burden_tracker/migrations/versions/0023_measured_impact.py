"""Measured impact

The metric a nomination's retirement should move and the departments it affects, the names a vendor gives our
departments, and the settings of measuring it: the months before and after, and the fewest clinicians a
department's own figure needs.

Revision ID: 0023
Revises: 0022
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, which SQLite has: a table rebuilt would lose its triggers (0005, 0006).
    op.add_column('nominations', sa.Column('measured_metric', sqlmodel.sql.sqltypes.AutoString(length=32),
                                           nullable=True))
    op.create_index('ix_nominations_measured_metric', 'nominations', ['measured_metric'], unique=False)
    op.add_column('settings', sa.Column('measure_window_months', sa.Integer(), server_default='3', nullable=False))
    op.add_column('settings', sa.Column('fewest_clinicians_shown', sa.Integer(), server_default='5', nullable=False))
    op.create_table(
        'department_names',
        sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.PrimaryKeyConstraint('name_key'),
    )
    op.create_index('ix_department_months_metric_month', 'department_months', ['metric', 'month'], unique=False)
    op.create_index('ix_department_names_department_id', 'department_names', ['department_id'], unique=False)
    op.create_table(
        'affected_departments',
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id']),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id']),
        sa.PrimaryKeyConstraint('nomination_id', 'department_id'),
    )


def downgrade() -> None:
    op.drop_table('affected_departments')
    op.drop_index('ix_department_names_department_id', table_name='department_names')
    op.drop_index('ix_department_months_metric_month', table_name='department_months')
    op.drop_table('department_names')
    op.drop_column('settings', 'fewest_clinicians_shown')
    op.drop_column('settings', 'measure_window_months')
    op.drop_index('ix_nominations_measured_metric', table_name='nominations')
    op.drop_column('nominations', 'measured_metric')
