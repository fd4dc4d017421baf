"""Enumerations stored as their value and shown with a translatable label."""

from __future__ import annotations

import enum

from flask_babel import LazyString
from sqlalchemy import Enum


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
