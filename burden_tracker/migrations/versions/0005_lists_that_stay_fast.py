"""lists that stay fast

A page of /nominations or /board reads one state at a time in the order asked for, optionally
within one department (queries/listing.py), so each order gets an index led by the state and
one led by the department and state. "Most hours first" sorts by the minutes a week under the
estimate in force: the expression below must stay exactly models.MINUTES_A_WEEK. Sorting by
supporters needs their count on the nomination; triggers on supporters keep it, whatever
code adds, moves or removes a supporter.

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MINUTES_A_WEEK = ("coalesce(board_minutes_per_occurrence, minutes_per_occurrence)"
                  " * coalesce(board_occurrences_per_week, occurrences_per_week)"
                  " * coalesce(board_clinicians_affected, clinicians_affected)")
ORDERS = {"newest": [], "hours": [sa.text(f"({MINUTES_A_WEEK})")], "supporters": ["supporters_count"]}

TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER supporters_count_insert AFTER INSERT ON supporters BEGIN "
        "UPDATE nominations SET supporters_count = supporters_count + 1 WHERE id = NEW.nomination_id; END",
        "CREATE TRIGGER supporters_count_delete AFTER DELETE ON supporters BEGIN "
        "UPDATE nominations SET supporters_count = supporters_count - 1 WHERE id = OLD.nomination_id; END",
        "CREATE TRIGGER supporters_count_move AFTER UPDATE OF nomination_id ON supporters BEGIN "
        "UPDATE nominations SET supporters_count = supporters_count - 1 WHERE id = OLD.nomination_id; "
        "UPDATE nominations SET supporters_count = supporters_count + 1 WHERE id = NEW.nomination_id; END",
    ],
    "postgresql": [
        "CREATE FUNCTION supporters_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        "UPDATE nominations SET supporters_count = supporters_count - 1 WHERE id = OLD.nomination_id; END IF; "
        "IF TG_OP IN ('UPDATE', 'INSERT') THEN "
        "UPDATE nominations SET supporters_count = supporters_count + 1 WHERE id = NEW.nomination_id; END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER supporters_count AFTER INSERT OR DELETE OR UPDATE OF nomination_id ON supporters "
        "FOR EACH ROW EXECUTE FUNCTION supporters_count()",
    ],
}
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER supporters_count_insert", "DROP TRIGGER supporters_count_delete",
               "DROP TRIGGER supporters_count_move"],
    "postgresql": ["DROP TRIGGER supporters_count ON supporters", "DROP FUNCTION supporters_count()"],
}


# Plain operations, no batch: a table copy on SQLite is not needed for any of this.
def upgrade() -> None:
    op.add_column('nominations', sa.Column('supporters_count', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE nominations SET supporters_count = "
               "(SELECT count(*) FROM supporters WHERE supporters.nomination_id = nominations.id)")
    for statement in TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    for order, first in ORDERS.items():
        op.create_index(f'ix_nominations_state_{order}', 'nominations',
                        ['state', *first, 'submitted_on', 'id'], unique=False)
        op.create_index(f'ix_nominations_department_state_{order}', 'nominations',
                        ['department_id', 'state', *first, 'submitted_on', 'id'], unique=False)
    op.drop_index('ix_nominations_state', table_name='nominations')
    op.drop_index('ix_nominations_department_id', table_name='nominations')


def downgrade() -> None:
    op.create_index('ix_nominations_department_id', 'nominations', ['department_id'], unique=False)
    op.create_index('ix_nominations_state', 'nominations', ['state'], unique=False)
    for order in ORDERS:
        op.drop_index(f'ix_nominations_department_state_{order}', table_name='nominations')
        op.drop_index(f'ix_nominations_state_{order}', table_name='nominations')
    for statement in DROP_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_column('nominations', 'supporters_count')
