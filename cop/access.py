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
from cop.visits.models import (
    Membership,
    MembershipRole,
    Programme,
    ProgrammeResearcher,
    Visit,
)

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


def _assigned_to(user: User, programme_id: int | None) -> bool:
    if programme_id is None or not user.is_researcher:
        return False
    return (
        db.session.scalar(
            db.select(ProgrammeResearcher.id).where(
                ProgrammeResearcher.user_id == user.id,
                ProgrammeResearcher.programme_id == programme_id,
            )
        )
        is not None
    )


def can_view_visit(user: User, visit: Visit) -> bool:
    """Its members, administrators, and the researchers assigned to its programme."""
    return (
        user.is_admin
        or visit_role(user, visit) is not None
        or _assigned_to(user, visit.programme_id)
    )


def belongs_to_visit(user: User, visit: Visit) -> bool:
    """The visit's own people (any role) and administrators: they read and write its
    correspondence and documents and check posts against its protocol. Not researchers who
    study its programme from outside (they read research data only)."""
    return user.is_admin or visit_role(user, visit) is not None


# The visiting side: their effort and costs are theirs to share.
VISITING_SIDE = (
    MembershipRole.LEAD,
    MembershipRole.PARTICIPANT,
    MembershipRole.RESEARCHER,
    MembershipRole.OBSERVER,
)


def can_see_planning(user: User, visit: Visit) -> bool:
    """The visitors' effort and costs: the visiting side and administrators; hosts and
    interpreters only when a lead has shared them."""
    if user.is_admin:
        return True
    role = visit_role(user, visit)
    if role in VISITING_SIDE:
        return True
    return role is not None and visit.planning_shared


def can_manage_visit(user: User, visit: Visit) -> bool:
    return user.is_admin or visit_role(user, visit) == MembershipRole.LEAD


def can_correct_translations(user: User, visit: Visit) -> bool:
    """A visit's content translated for its readers: its leads and its interpreters correct it
    (interpreters know both languages and the visit's words)."""
    if user.is_admin:
        return True
    return visit_role(user, visit) in (MembershipRole.LEAD, MembershipRole.INTERPRETER)


def can_organise(user: User) -> bool:
    """Create visits and programmes, and add people and organisations to the directory:
    administrators, organisers, and whoever leads a visit already."""
    return user.is_admin or user.is_organiser or leads_any_visit(user)


def _leads_visit_of(user: User, person_id: int) -> bool:
    """Whether the user leads a visit the person is in."""
    if user.person_id is None:
        return False
    lead = db.aliased(Membership)
    member = db.aliased(Membership)
    return (
        db.session.scalar(
            db.select(lead.id)
            .join(member, member.visit_id == lead.visit_id)
            .where(
                lead.person_id == user.person_id,
                lead.role == MembershipRole.LEAD,
                member.person_id == person_id,
            )
            .limit(1)
        )
        is not None
    )


def can_hand_over(user: User, person: Person) -> bool:
    """Hands someone's work to a successor when they leave their post: an administrator, or
    a lead of a visit the person is in."""
    return user.is_admin or _leads_visit_of(user, person.id)


def visits_led_by(user: User) -> set[int] | None:
    """The visits whose work a user may hand over (None: every visit, for an administrator)."""
    if user.is_admin:
        return None
    if user.person_id is None:
        return set()
    return set(
        db.session.scalars(
            db.select(Membership.visit_id).where(
                Membership.person_id == user.person_id, Membership.role == MembershipRole.LEAD
            )
        )
    )


def _in_any_visit(person_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(Membership.id).where(Membership.person_id == person_id).limit(1)
        )
        is not None
    )


def can_edit_person(user: User, person: Person) -> bool:
    """The person and administrators. Someone with an account is edited by nobody else: their
    email is how they sign in and reset their password. A directory entry without an account is
    also kept by the leads of the visits it is in, or, while it is in no visit yet, by any
    organiser (the one who just added it, fixing a typo)."""
    if user.is_admin or (user.person_id is not None and user.person_id == person.id):
        return True
    if person.user is not None:
        return False
    if _leads_visit_of(user, person.id):
        return True
    return can_organise(user) and not _in_any_visit(person.id)


def can_record_consent_for(user: User, person: Person) -> bool:
    """Media consent: the person themself; for someone else (from a paper form), a lead of a
    visit that person belongs to, or an administrator."""
    if user.person_id is not None and user.person_id == person.id:
        return True
    return user.is_admin or _leads_visit_of(user, person.id)


def can_import_contacts(user: User, programme_id: int) -> bool:
    """Contacts change a programme's network verdict: only those who lead one of its visits or
    research it (and administrators) bring them in."""
    return (
        user.is_admin
        or researches_programme(user, programme_id)
        or _has_role_in_programme(user, programme_id, (MembershipRole.LEAD,))
    )


def can_see_special_category(user: User, person: Person) -> bool:
    """Access and dietary needs: the person themself, and the leads of the visits they are in."""
    if user.person_id is None:
        return False
    return user.person_id == person.id or _leads_visit_of(user, person.id)


def visible_visits_filter(user: User) -> Any:
    """A WHERE clause selecting the visits a user may see (the rule of :func:`can_view_visit`)."""
    if user.is_admin:
        return db.true()
    conditions = []
    if user.person_id is not None:
        conditions.append(
            Visit.id.in_(
                db.select(Membership.visit_id).where(Membership.person_id == user.person_id)
            )
        )
    if user.is_researcher:
        conditions.append(
            Visit.programme_id.in_(
                db.select(ProgrammeResearcher.programme_id).where(
                    ProgrammeResearcher.user_id == user.id
                )
            )
        )
    return db.or_(*conditions) if conditions else db.false()


def visible_visit_ids(user: User) -> set[int] | None:
    """The ids of the visits a user may see, or None when they may see every visit."""
    if user.is_admin:
        return None
    return set(db.session.scalars(db.select(Visit.id).where(visible_visits_filter(user))))


def _has_role_in_programme(
    user: User, programme_id: int, roles: tuple[MembershipRole, ...]
) -> bool:
    if user.person_id is None:
        return False
    return (
        db.session.scalar(
            db.select(Membership.id)
            .join(Visit, Visit.id == Membership.visit_id)
            .where(
                Visit.programme_id == programme_id,
                Membership.person_id == user.person_id,
                Membership.role.in_(roles),
            )
            .limit(1)
        )
        is not None
    )


def can_analyse_programme(user: User, programme_id: int) -> bool:
    """Administrators, the researchers assigned to the programme, and the leads and
    researchers of its visits."""
    if user.is_admin or _assigned_to(user, programme_id):
        return True
    return _has_role_in_programme(
        user, programme_id, (MembershipRole.LEAD, MembershipRole.RESEARCHER)
    )


def admin_required(view: View) -> View:
    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def organiser_required(view: View) -> View:
    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not can_organise(current_user):
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def visit_for(
    visit_id: int, *, manage: bool = False, records: bool = False, planning: bool = False
) -> Visit:
    """Load a visit the current user may see, else answer 404 or 403; with ``manage``, only
    for those who manage it; with ``records``, its correspondence and documents; with
    ``planning``, the visitors' effort and costs."""
    visit = db.get_or_404(Visit, visit_id)
    if manage:
        allowed = can_manage_visit
    elif records:
        allowed = belongs_to_visit
    elif planning:
        allowed = can_see_planning
    else:
        allowed = can_view_visit
    if not allowed(current_user, visit):
        abort(403)
    return visit


def programme_for(programme_id: int, *, research: bool = False) -> Programme:
    """Load a programme the current user analyses (with ``research``, codes and reads as a
    researcher), else answer 404 or 403."""
    programme = db.get_or_404(Programme, programme_id)
    allowed = researches_programme if research else can_analyse_programme
    if not allowed(current_user, programme.id):
        abort(403)
    return programme


def can_edit_guide(user: User, visit: Visit) -> bool:
    """Rewords the visit's reflection guide: its leads and those who research it."""
    return can_manage_visit(user, visit) or researches_visit(user, visit)


def researches_visit(user: User, visit: Visit) -> bool:
    """Reads reflections as a researcher (as far as each writer's consent allows): researchers
    assigned to the visit's programme and the visit's own researchers. Not administrators or
    leads as such."""
    return (
        _assigned_to(user, visit.programme_id)
        or visit_role(user, visit) == MembershipRole.RESEARCHER
    )


def researches_programme(user: User, programme_id: int) -> bool:
    """Codes and analyses a programme's reflections: the researchers assigned to it, and the
    researchers of its visits."""
    if _assigned_to(user, programme_id):
        return True
    return _has_role_in_programme(user, programme_id, (MembershipRole.RESEARCHER,))


def codes_blind(user: User, programme: Programme) -> bool:
    """Whether this researcher must not yet see the codes others applied: the programme codes
    blind and they have not said they finished. Those who do not code (a writer reading the
    codes on their own reflection) are not blinded."""
    from cop.research.blinding import has_finished

    if not programme.blind_coding or not researches_programme(user, programme.id):
        return False
    return not has_finished(db.session, programme.id, user.id)


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
