"""Every foreign key leads an index: pages look rows up by their visit, person or parent, and
erasure and ON DELETE find them the same way; without one, PostgreSQL reads the whole table
(it indexes no foreign key by itself)."""

from __future__ import annotations

from cop.extensions import db


def columns_leading_an_index(table) -> set[str]:
    leading = {next(iter(index.columns)).name for index in table.indexes}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and constraint.__class__.__name__ in (
            "UniqueConstraint",
            "PrimaryKeyConstraint",
        ):
            leading.add(columns[0].name)
    return leading


def test_every_foreign_key_is_indexed(app) -> None:
    unindexed = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if column.foreign_keys and column.name not in columns_leading_an_index(table)
    ]
    assert unindexed == []
