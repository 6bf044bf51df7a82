"""Burden cards: the retired nominations marked for sharing, the cards imported from other health systems, and the
name cards are shared under

Revision ID: 0039
Revises: 0038
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0039'
down_revision: Union[str, Sequence[str], None] = '0038'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _choice(name: str, *values: str):
    return sa.Enum(*values, name=name, native_enum=False, length=32)


ROLES = ('physician', 'APP', 'nurse', 'medical assistant', 'pharmacist', 'other')
SOURCES = ('regulation or accreditation', 'payer', 'internal policy', 'EHR build or default', 'unknown')
OUTCOMES = ('removed', 'replaced', 'reduced', 'restricted', 'clarified')


def upgrade() -> None:
    op.add_column('settings', sa.Column('share_as', _text(200), nullable=True))  # a plain ADD: keeps the triggers
    op.create_table(
        'shared_cards',
        sa.Column('nomination_id', sa.Integer(), nullable=False),
        sa.Column('card_id', _text(45), nullable=False),
        sa.Column('ehr_vendor', _text(120), nullable=True),
        sa.Column('ehr_module', _text(120), nullable=True),
        sa.Column('build_type', _text(120), nullable=True),
        sa.Column('citation', _text(500), nullable=True),
        sa.Column('shared_by_id', sa.Integer(), nullable=False),
        sa.Column('shared_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id']),
        sa.ForeignKeyConstraint(['shared_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('nomination_id'),
        sa.UniqueConstraint('card_id'),
    )
    op.create_table(
        'commons_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_id', _text(45), nullable=False),
        sa.Column('organization', _text(200), nullable=True),
        sa.Column('title', _text(200), nullable=False),
        sa.Column('what_was_done', _text(5000), nullable=False),
        sa.Column('what_changed', _text(5000), nullable=False),
        sa.Column('category', _text(120), nullable=False),
        sa.Column('affected_role', _choice('affectedrole', *ROLES), nullable=False),
        sa.Column('ehr_vendor', _text(120), nullable=True),
        sa.Column('ehr_module', _text(120), nullable=True),
        sa.Column('build_type', _text(120), nullable=True),
        sa.Column('requirement_source', _choice('requirementsource', *SOURCES), nullable=False),
        sa.Column('citation', _text(500), nullable=True),
        sa.Column('outcome', _choice('outcome', *OUTCOMES), nullable=True),
        sa.Column('estimated_hours_per_year', sa.Float(), nullable=False),
        sa.Column('measured_metric', _text(60), nullable=True),
        sa.Column('measured_summary', _text(500), nullable=True),
        sa.Column('retired_on', sa.Date(), nullable=False),
        sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('card_id'),
    )


def downgrade() -> None:
    op.drop_table('commons_cards')
    op.drop_table('shared_cards')
    op.drop_column('settings', 'share_as')
