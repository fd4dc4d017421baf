"""Who may do what. Every view asks here; nothing else decides access.

Global roles (admin, researcher) are flags on the user; roles within a visit come from the
memberships of the user's person."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from cop.accounts.models import User
from cop.directory.models import Person
from cop.extensions import db
from cop.visits.models import Membership, MembershipRole, Visit

View = TypeVar("View", bound=Callable[..., Any])


def visit_role(user: User, visit: Visit) -> MembershipRole | None:
    if user.person_id is None:
        return None
    return db.session.scalar(
        db.select(Membership.role).where(
            Membership.visit_id == visit.id, Membership.person_id == user.person_id
        )
    )


def leads_any_visit(user: User) -> bool:
    if user.person_id is None:
        return False
    return (
        db.session.scalar(
            db.select(Membership.id)
            .where(Membership.person_id == user.person_id, Membership.role == MembershipRole.LEAD)
            .limit(1)
        )
        is not None
    )


def can_view_visit(user: User, visit: Visit) -> bool:
    return user.is_admin or user.is_researcher or visit_role(user, visit) is not None


def can_manage_visit(user: User, visit: Visit) -> bool:
    return user.is_admin or visit_role(user, visit) == MembershipRole.LEAD


def can_organise(user: User) -> bool:
    """Create visits and programmes, and add people and organisations to the directory."""
    return user.is_admin or leads_any_visit(user)


def can_edit_person(user: User, person: Person) -> bool:
    return user.person_id == person.id or can_organise(user)


def can_see_special_category(user: User, person: Person) -> bool:
    """Access and dietary needs: the person themself, and the leads of the visits they are in."""
    if user.person_id is None:
        return False
    if user.person_id == person.id:
        return True
    lead = db.aliased(Membership)
    member = db.aliased(Membership)
    return (
        db.session.scalar(
            db.select(lead.id)
            .join(member, member.visit_id == lead.visit_id)
            .where(
                lead.person_id == user.person_id,
                lead.role == MembershipRole.LEAD,
                member.person_id == person.id,
            )
            .limit(1)
        )
        is not None
    )


def visible_visits_filter(user: User) -> Any:
    """A WHERE clause selecting the visits a user may see."""
    if user.is_admin or user.is_researcher:
        return db.true()
    if user.person_id is None:
        return db.false()
    return Visit.id.in_(
        db.select(Membership.visit_id).where(Membership.person_id == user.person_id)
    )


def visible_visit_ids(user: User) -> set[int] | None:
    """The ids of the visits a user may see, or None when they may see every visit."""
    if user.is_admin or user.is_researcher:
        return None
    if user.person_id is None:
        return set()
    return set(
        db.session.scalars(
            db.select(Membership.visit_id).where(Membership.person_id == user.person_id)
        )
    )


def can_analyse_programme(user: User, programme_id: int) -> bool:
    """Researchers, administrators, and the leads and researchers of the programme's visits."""
    if user.is_admin or user.is_researcher:
        return True
    if user.person_id is None:
        return False
    return (
        db.session.scalar(
            db.select(Membership.id)
            .join(Visit, Visit.id == Membership.visit_id)
            .where(
                Visit.programme_id == programme_id,
                Membership.person_id == user.person_id,
                Membership.role.in_((MembershipRole.LEAD, MembershipRole.RESEARCHER)),
            )
            .limit(1)
        )
        is not None
    )


def organiser_required(view: View) -> View:
    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not can_organise(current_user):
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def visit_for(visit_id: int, *, manage: bool = False) -> Visit:
    """Load a visit the current user may see (or manage), else answer 404 or 403."""
    visit = db.get_or_404(Visit, visit_id)
    allowed = can_manage_visit if manage else can_view_visit
    if not allowed(current_user, visit):
        abort(403)
    return visit


def researches_visit(user: User, visit: Visit) -> bool:
    """Reads reflections as a researcher (as far as each writer's consent allows): researchers of
    the installation and the visit's own researchers. Not administrators or leads as such."""
    return user.is_researcher or visit_role(user, visit) == MembershipRole.RESEARCHER


def researches_programme(user: User, programme_id: int) -> bool:
    """Codes and analyses a programme's reflections: researchers, and the researchers of its
    visits."""
    if user.is_researcher:
        return True
    if user.person_id is None:
        return False
    return (
        db.session.scalar(
            db.select(Membership.id)
            .join(Visit, Visit.id == Membership.visit_id)
            .where(
                Visit.programme_id == programme_id,
                Membership.person_id == user.person_id,
                Membership.role == MembershipRole.RESEARCHER,
            )
            .limit(1)
        )
        is not None
    )


def reflects_on_visit(user: User, visit: Visit) -> bool:
    """Writes their own reflections on a visit: the participants and the leads who travel."""
    return visit_role(user, visit) in (MembershipRole.PARTICIPANT, MembershipRole.LEAD)


def can_read_evaluation(user: User, visit: Visit) -> bool:
    """Those who organise or study the visit: its leads, researchers and administrators, and
    those who analyse its programme."""
    return (
        can_manage_visit(user, visit)
        or researches_visit(user, visit)
        or (visit.programme_id is not None and can_analyse_programme(user, visit.programme_id))
    )
