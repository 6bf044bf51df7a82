"""Webhooks

The endpoints admins register on /admin/webhooks, and the outbox of deliveries written in each change's
transaction, sent by the job queue.

Revision ID: 0032
Revises: 0031
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0032'
down_revision: Union[str, Sequence[str], None] = '0031'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'webhook_endpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('events', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('format', sa.Enum('standard', 'teams', 'slack', name='webhookformat', native_enum=False,
                                    length=32), nullable=False),
        sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('delivering_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('held_by', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('endpoint_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('event', sa.Enum('nomination.created', 'nomination.moved', 'nomination.revised',
                                   'comment.created', 'quarter.closed', name='webhookevent', native_enum=False,
                                   length=32), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('outcome', sa.Enum('pending', 'delivered', 'given up', name='deliveryoutcome', native_enum=False,
                                     length=32), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('next_try_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_tried_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_answer', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('message_id'),
    )
    op.create_index('ix_webhook_deliveries_endpoint_outcome', 'webhook_deliveries', ['endpoint_id', 'outcome', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_webhook_deliveries_endpoint_outcome', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhook_endpoints')
