"""Where a glossary term holds (no Flask here): the whole installation, one programme, visits to
one host city, or one visit. A visit's translations and its interpreters' briefing use the terms
of every scope the visit is in, and no others."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_

from cop.translation.models import GlossaryTerm
from cop.visits.models import Visit

EVERYWHERE = "all"


def everywhere() -> ColumnElement[bool]:
    return and_(
        GlossaryTerm.visit_id.is_(None),
        GlossaryTerm.programme_id.is_(None),
        GlossaryTerm.host_city == "",
    )


def applying_to(visit: Visit | None) -> ColumnElement[bool]:
    """The terms that hold in a visit (only the installation's when there is none)."""
    if visit is None:
        return everywhere()
    held = [everywhere(), GlossaryTerm.visit_id == visit.id]
    if visit.programme_id is not None:
        held.append(GlossaryTerm.programme_id == visit.programme_id)
    if visit.host_city:
        held.append(
            and_(
                func.lower(GlossaryTerm.host_city) == visit.host_city.strip().lower(),
                GlossaryTerm.host_country == (visit.host_country or "").upper(),
            )
        )
    return or_(*held)


@dataclass(frozen=True)
class Scope:
    """A term's scope as forms and CSV files write it: "all", "programme:<id>",
    "city:<country>:<city>" or "visit:<id>"."""

    programme_id: int | None = None
    host_city: str = ""
    host_country: str = ""
    visit_id: int | None = None

    @classmethod
    def parse(cls, text: str) -> Scope | None:
        """The scope written, or None when it cannot be read."""
        kind, _, rest = (text or EVERYWHERE).strip().partition(":")
        if kind == EVERYWHERE and not rest:
            return cls()
        if kind in ("programme", "visit") and rest.isdigit():
            return cls(programme_id=int(rest)) if kind == "programme" else cls(visit_id=int(rest))
        country, _, city = rest.partition(":")
        if kind == "city" and len(country) == 2 and country.isalpha() and city.strip():
            return cls(host_city=city.strip(), host_country=country.upper())
        return None

    @classmethod
    def of(cls, term: GlossaryTerm) -> Scope:
        return cls(term.programme_id, term.host_city, term.host_country, term.visit_id)

    @property
    def key(self) -> str:
        if self.visit_id is not None:
            return f"visit:{self.visit_id}"
        if self.programme_id is not None:
            return f"programme:{self.programme_id}"
        if self.host_city:
            return f"city:{self.host_country}:{self.host_city}"
        return EVERYWHERE

    def apply(self, term: GlossaryTerm) -> None:
        term.visit_id, term.programme_id = self.visit_id, self.programme_id
        term.host_city, term.host_country = self.host_city, self.host_country
