"""CSV that spreadsheet programs open safely and read right (no Flask here)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any


def safe_cell(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document; text cells are made safe, numbers are left as they are."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue()


def numbered_rows(
    reader: csv.DictReader, unreadable: Callable[[int, str], None]
) -> Iterator[tuple[int, dict]]:
    """The rows of a CSV file with their line numbers. A row the csv module cannot read ends the
    file: ``unreadable`` is told the line and why, instead of an exception reaching the user."""
    line = 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            unreadable(reader.line_num, str(error))
            return
        line += 1
        yield line, raw
