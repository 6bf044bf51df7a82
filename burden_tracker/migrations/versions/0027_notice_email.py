"""Notice email

How each person wants their notices by email: at once (as before), in a daily or weekly digest, or not at all.

Revision ID: 0027
Revises: 0026
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0027'
down_revision: Union[str, Sequence[str], None] = '0026'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('users', sa.Column('notice_email', sa.Enum('at once', 'daily digest', 'weekly digest', 'none',
                                                             name='noticeemail', native_enum=False, length=32),
                                     server_default='at once', nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN notice_email")  # both databases have it: no table rebuilt
