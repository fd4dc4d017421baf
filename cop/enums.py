"""Enumerations stored as their value and shown with a translatable label."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from flask_babel import LazyString
from sqlalchemy import Enum, String, literal, type_coerce
from sqlalchemy.types import TypeDecorator


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a human label in the reader's language."""

    @property
    def label(self) -> str:
        return str(self._labels()[self.value])

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def stored_enum(enum_class: type[LabelledEnum], length: int) -> Enum:
    """A column type that stores the members' values as text, with a CHECK on the values."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        create_constraint=True,
    )


class EnumList(TypeDecorator):
    """A short set of an enum's members in one text column ("consecutive,whispered"), read back
    as a list of members in the enum's order. Every value is checked on the way in, so a typo
    or a retired value cannot be stored; text from an older backup ("a,b") is accepted too.

    ``Column.includes(member)`` filters on one member without matching a value that merely
    contains it (a LIKE on the commas around it)."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[LabelledEnum], length: int) -> None:
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value: Iterable[str] | str | None, dialect: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and not isinstance(value, enum.Enum):
            value = [part for part in value.split(",") if part.strip()]
        chosen = {self.enum_class(str(part).strip()) for part in value}
        return ",".join(member.value for member in self.enum_class if member in chosen)

    def process_result_value(self, value: str | None, dialect: Any) -> list[LabelledEnum]:
        return [self.enum_class(part) for part in (value or "").split(",") if part]

    class comparator_factory(TypeDecorator.Comparator):  # noqa: N801 - SQLAlchemy's name
        def includes(self, member: LabelledEnum) -> Any:
            padded = literal(",", String) + type_coerce(self.expr, String) + literal(",", String)
            return padded.contains(f",{member.value},")
