"""The social-media protocol of a visit, its approval by the host and acknowledgement by every
member, the consent register, and the draft-post check."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.itinerary.logic import in_zone, to_utc
from cop.itinerary.models import ItineraryItem
from cop.links import LinkError
from cop.mail import mail_person
from cop.social import checks
from cop.social.forms import (
    ApprovalForm,
    ConsentForm,
    DecisionForm,
    EmbargoForm,
    PostCheckForm,
    ProtocolForm,
)
from cop.social.models import (
    Decision,
    Embargo,
    MediaConsent,
    Platform,
    PostCheck,
    ProtocolAcknowledgement,
    SocialProtocol,
)
from cop.viewhelpers import (
    child_of_visit,
    form_status,
    link_behind,
    link_problem_page,
    mailed_link,
    speak_to,
)
from cop.visits.models import Membership, MembershipRole, Visit

blueprint = Blueprint("social", __name__)

APPROVAL_PURPOSE = "protocol_approval"
ACKNOWLEDGE_PURPOSE = "protocol_ack"
NO_ITEM = 0


def protocol_of(visit: Visit) -> SocialProtocol:
    """The visit's protocol, started empty the first time it is needed."""
    protocol = db.session.scalar(select(SocialProtocol).where(SocialProtocol.visit_id == visit.id))
    if protocol is None:
        protocol = SocialProtocol(visit_id=visit.id)
        db.session.add(protocol)
        db.session.commit()
    return protocol


def current_consent(person_id: int) -> MediaConsent | None:
    return db.session.scalar(
        select(MediaConsent)
        .where(MediaConsent.person_id == person_id)
        .order_by(MediaConsent.recorded_at.desc(), MediaConsent.id.desc())
        .limit(1)
    )


def consents_of(person_ids: list[int]) -> dict[int, MediaConsent]:
    """Each person's latest consent, in one query."""
    latest = (
        select(MediaConsent.person_id, func.max(MediaConsent.id).label("last"))
        .where(MediaConsent.person_id.in_(person_ids))
        .group_by(MediaConsent.person_id)
        .subquery()
    )
    return {
        consent.person_id: consent
        for consent in db.session.scalars(
            select(MediaConsent).join(latest, MediaConsent.id == latest.c.last)
        )
    }


def _members(visit: Visit) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.visit_id == visit.id)
            .options(selectinload(Membership.person))
        )
    )


def _changed(protocol: SocialProtocol) -> None:
    """A change to an approved protocol makes a new version, to approve and acknowledge again."""
    if protocol.approved_at is not None:
        protocol.version += 1
        protocol.approved_at = None
        protocol.approved_by_id = None
    protocol.updated_at = utcnow()


@blueprint.route("/visits/<int:visit_id>/protocol", methods=["GET", "POST"])
@login_required
def protocol(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    found = protocol_of(visit)
    can_manage = access.can_manage_visit(current_user, visit)
    form = ProtocolForm(
        formdata=None if request.method == "GET" else request.form,
        platforms=[p.value for p in found.platforms],
        hashtags=found.hashtags,
        accounts=found.accounts,
        forbidden_topics=found.forbidden_topics,
        photo_rules=found.photo_rules,
        video_rules=found.video_rules,
    )
    form.platforms.choices = options(Platform.choices())
    if request.method == "POST":
        if not can_manage:
            abort(403)
        if form.validate_on_submit():
            found.platforms = [Platform(value) for value in form.platforms.data or []]
            found.hashtags = (form.hashtags.data or "").strip()
            found.accounts = (form.accounts.data or "").strip()
            found.forbidden_topics = (form.forbidden_topics.data or "").strip()
            found.photo_rules = (form.photo_rules.data or "").strip()
            found.video_rules = (form.video_rules.data or "").strip()
            _changed(found)
            db.session.commit()
            flash(_("The protocol is saved."), "success")
            return redirect(url_for("social.protocol", visit_id=visit.id))
    return _protocol_page(visit, found, form, EmbargoForm(formdata=None)), form_status(form)


def _protocol_page(
    visit: Visit, found: SocialProtocol, form: ProtocolForm, embargo_form: EmbargoForm
) -> str:
    members = _members(visit)
    acknowledged = set(
        db.session.scalars(
            select(ProtocolAcknowledgement.person_id).where(
                ProtocolAcknowledgement.protocol_id == found.id,
                ProtocolAcknowledgement.version == found.version,
            )
        )
    )
    items = db.session.execute(
        select(ItineraryItem.id, ItineraryItem.title)
        .where(ItineraryItem.visit_id == visit.id)
        .order_by(ItineraryItem.starts_at)
    ).all()
    embargo_form.item_id.choices = options(
        [(NO_ITEM, _("None")), *((item.id, item.title) for item in items)]
    )
    return render_template(
        "social/protocol.html",
        visit=visit,
        protocol=found,
        form=form,
        embargo_form=embargo_form,
        members=members,
        acknowledged=acknowledged,
        can_manage=access.can_manage_visit(current_user, visit),
        is_member=any(m.person_id == current_user.person_id for m in members),
        empty_form=EmptyForm(),
    )


@blueprint.route("/visits/<int:visit_id>/protocol/embargoes", methods=["POST"])
@login_required
def add_embargo(visit_id: int) -> Any:
    visit = access.visit_for(visit_id, manage=True)
    found = protocol_of(visit)
    form = EmbargoForm()
    items = {
        item.id: item
        for item in db.session.scalars(
            select(ItineraryItem).where(ItineraryItem.visit_id == visit.id)
        )
    }
    form.item_id.choices = options(
        [(NO_ITEM, _("None")), *((i.id, i.title) for i in items.values())]
    )
    if form.validate_on_submit():
        found.embargoes.append(
            Embargo(
                subject=form.subject.data.strip(),
                item_id=form.item_id.data or None,
                until=to_utc(form.day.data, form.at.data, visit.time_zone),
            )
        )
        _changed(found)
        db.session.commit()
        flash(_("The embargo is added."), "success")
        return redirect(url_for("social.protocol", visit_id=visit.id) + "#embargoes")
    protocol_form = ProtocolForm(formdata=None)
    protocol_form.platforms.choices = options(Platform.choices())
    return _protocol_page(visit, found, protocol_form, form), 400


@blueprint.route(
    "/visits/<int:visit_id>/protocol/embargoes/<int:embargo_id>/delete", methods=["POST"]
)
@login_required
def remove_embargo(visit_id: int, embargo_id: int) -> WerkzeugResponse:
    visit = access.visit_for(visit_id, manage=True)
    found = protocol_of(visit)
    embargo = db.session.get(Embargo, embargo_id)
    if embargo is None or embargo.protocol_id != found.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(embargo)
    _changed(found)
    db.session.commit()
    return redirect(url_for("social.protocol", visit_id=visit.id) + "#embargoes")


def _link(purpose: str, protocol: SocialProtocol, person: Person) -> str:
    endpoint = "social.approve" if purpose == APPROVAL_PURPOSE else "social.acknowledge_by_link"
    # Approving and accepting stand on being in the visit: leaving it ends the link.
    return mailed_link(purpose, protocol.id, person.id, endpoint, visit_id=protocol.visit_id)


@blueprint.route("/visits/<int:visit_id>/protocol/send", methods=["POST"])
@login_required
def send_for_approval(visit_id: int) -> WerkzeugResponse:
    visit = access.visit_for(visit_id, manage=True)
    found = protocol_of(visit)
    if not EmptyForm().validate_on_submit():
        abort(400)
    hosts = [m.person for m in _members(visit) if m.role is MembershipRole.HOST and m.person.email]
    for host in hosts:
        mail_person(
            host,
            "protocol_approval",
            visit=visit,
            link=_link(APPROVAL_PURPOSE, found, host),
        )
    db.session.commit()
    if hosts:
        flash(_("The protocol has been sent to %(count)s hosts.", count=len(hosts)), "success")
    else:
        flash(_("The visit has no host with an email address to approve it."), "error")
    return redirect(url_for("social.protocol", visit_id=visit.id))


def _protocol_behind(purpose: str, token: str) -> tuple[SocialProtocol, Person]:
    link = link_behind(purpose, token)
    found = db.session.get(SocialProtocol, link.subject_id)
    person = db.session.get(Person, link.person_id) if link.person_id else None
    if found is None or person is None:
        raise LinkError("invalid")
    db.session.commit()
    return found, person


@blueprint.route("/protocol/approve/<token>", methods=["GET", "POST"])
def approve(token: str) -> Any:
    try:
        found, host = _protocol_behind(APPROVAL_PURPOSE, token)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(host)
    form = ApprovalForm()
    if form.validate_on_submit():
        comment = (form.comment.data or "").strip()
        if request.form.get("answer") == "approve":
            found.approved_at = utcnow()
            found.approved_by_id = host.id
            found.host_comment = comment
            flash(_("Thank you: the protocol is approved."), "success")
        else:
            found.host_comment = comment or found.host_comment
            flash(_("Thank you: the organisers will read your comment."), "success")
        db.session.commit()
        return redirect(request.path)
    return render_template(
        "social/approve.html", protocol=found, visit=found.visit, host=host, form=form
    ), form_status(form)


def _acknowledge(found: SocialProtocol, person_id: int) -> bool:
    """Record that a member accepts the current version; False when there is nothing to accept."""
    if found.approved_at is None:
        return False
    already = db.session.scalar(
        select(ProtocolAcknowledgement.id).where(
            ProtocolAcknowledgement.protocol_id == found.id,
            ProtocolAcknowledgement.person_id == person_id,
            ProtocolAcknowledgement.version == found.version,
        )
    )
    if already is None:
        db.session.add(
            ProtocolAcknowledgement(
                protocol_id=found.id, person_id=person_id, version=found.version
            )
        )
    return True


@blueprint.route("/visits/<int:visit_id>/protocol/acknowledge", methods=["POST"])
@login_required
def acknowledge(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    found = protocol_of(visit)
    is_member = db.session.scalar(
        select(Membership.id).where(
            Membership.visit_id == visit.id, Membership.person_id == current_user.person_id
        )
    )
    if is_member is None:
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not _acknowledge(found, current_user.person_id):
        flash(_("The host has not approved this version yet."), "error")
        form = ProtocolForm(formdata=None)
        form.platforms.choices = options(Platform.choices())
        return _protocol_page(visit, found, form, EmbargoForm(formdata=None)), 409
    db.session.commit()
    flash(_("Thank you: you have accepted the protocol."), "success")
    return redirect(url_for("social.protocol", visit_id=visit.id))


@blueprint.route("/visits/<int:visit_id>/protocol/remind", methods=["POST"])
@login_required
def remind(visit_id: int) -> WerkzeugResponse:
    visit = access.visit_for(visit_id, manage=True)
    found = protocol_of(visit)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = remind_members(found)
    db.session.commit()
    flash(_("%(count)s members have been reminded.", count=count), "success")
    return redirect(url_for("social.protocol", visit_id=visit.id))


def remind_members(found: SocialProtocol) -> int:
    """Mail every member who has not accepted the current, approved version a link to do so."""
    if found.approved_at is None:
        return 0
    done = set(
        db.session.scalars(
            select(ProtocolAcknowledgement.person_id).where(
                ProtocolAcknowledgement.protocol_id == found.id,
                ProtocolAcknowledgement.version == found.version,
            )
        )
    )
    count = 0
    for membership in _members(found.visit):
        person = membership.person
        if person.id in done or not person.email:
            continue
        mail_person(
            person,
            "protocol_acknowledge",
            visit=found.visit,
            link=_link(ACKNOWLEDGE_PURPOSE, found, person),
        )
        count += 1
    return count


@blueprint.route("/protocol/acknowledge/<token>", methods=["GET", "POST"])
def acknowledge_by_link(token: str) -> Any:
    """For members without an account: read the protocol, accept it, and say what may be
    posted of them."""
    try:
        found, person = _protocol_behind(ACKNOWLEDGE_PURPOSE, token)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(person)
    consent = current_consent(person.id)
    form = _consent_form(consent)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if request.form.get("answer") == "acknowledge":
                if _acknowledge(found, person.id):
                    flash(_("Thank you: you have accepted the protocol."), "success")
                else:
                    flash(_("The host has not approved this version yet."), "error")
            else:
                _record_consent(person, form, recorded_by=person)
                flash(_("Your choices are saved."), "success")
            db.session.commit()
            return redirect(request.path)
        status = 400
    acknowledged = db.session.scalar(
        select(ProtocolAcknowledgement.acknowledged_at).where(
            ProtocolAcknowledgement.protocol_id == found.id,
            ProtocolAcknowledgement.person_id == person.id,
            ProtocolAcknowledgement.version == found.version,
        )
    )
    return render_template(
        "social/acknowledge.html",
        protocol=found,
        visit=found.visit,
        person=person,
        form=form,
        acknowledged=acknowledged,
    ), status


def _consent_form(consent: MediaConsent | None) -> ConsentForm:
    if request.method == "POST":
        return ConsentForm()
    if consent is None:
        return ConsentForm(formdata=None)
    return ConsentForm(
        formdata=None,
        photo=consent.photo,
        video=consent.video,
        tagging=consent.tagging,
        naming=consent.naming,
    )


def _record_consent(person: Person, form: ConsentForm, recorded_by: Person | None) -> None:
    db.session.add(
        MediaConsent(
            person_id=person.id,
            photo=form.photo.data,
            video=form.video.data,
            tagging=form.tagging.data,
            naming=form.naming.data,
            note=(form.note.data or "").strip(),
            recorded_by_id=recorded_by.id if recorded_by else None,
        )
    )


def _consent_page(person: Person, own: bool) -> Any:
    form = _consent_form(current_consent(person.id))
    if form.validate_on_submit():
        _record_consent(person, form, recorded_by=current_user.person)
        db.session.commit()
        flash(_("The choices are saved; the earlier ones stay in the history."), "success")
        return redirect(request.path)
    history = db.session.scalars(
        select(MediaConsent)
        .where(MediaConsent.person_id == person.id)
        .options(selectinload(MediaConsent.recorded_by))
        .order_by(MediaConsent.recorded_at.desc(), MediaConsent.id.desc())
    ).all()
    return render_template(
        "social/consent.html", person=person, form=form, history=history, own=own
    ), form_status(form)


@blueprint.route("/consent", methods=["GET", "POST"])
@login_required
def my_consent() -> Any:
    if current_user.person is None:
        abort(403)
    return _consent_page(current_user.person, own=True)


@blueprint.route("/people/<int:person_id>/consent", methods=["GET", "POST"])
@login_required
def person_consent(person_id: int) -> Any:
    """Consent recorded for someone else (from a paper form): by a lead of one of their visits."""
    person = db.get_or_404(Person, person_id)
    if not access.can_record_consent_for(current_user, person):
        abort(403)
    return _consent_page(person, own=person.id == current_user.person_id)


# The draft-post check


def _post_form(visit: Visit, found: SocialProtocol, members: list[Membership]) -> PostCheckForm:
    form = PostCheckForm()
    platforms = found.platforms or list(Platform)
    form.platform.choices = options((p.value, p.label) for p in platforms)
    people = sorted({m.person for m in members}, key=lambda p: p.name)
    form.pictured.choices = options((p.id, p.name) for p in people)
    form.tagged.choices = options((p.id, p.name) for p in people)
    if request.method == "GET":
        now = in_zone(utcnow(), visit.time_zone)
        form.day.data, form.at.data = now.date(), now.time().replace(second=0, microsecond=0)
    return form


def rules_of(found: SocialProtocol, members: list[Membership]) -> checks.ProtocolRules:
    people = [m.person for m in members]
    consents = consents_of([p.id for p in people])
    titles = {
        item.id: item.title
        for item in db.session.scalars(
            select(ItineraryItem).where(ItineraryItem.visit_id == found.visit_id)
        )
    }
    return checks.ProtocolRules(
        hashtags=found.hashtag_list,
        forbidden_topics=found.topic_list,
        embargoes=[
            checks.EmbargoRule(
                subject=e.subject,
                until=e.until,
                words=tuple(w for w in (e.subject, titles.get(e.item_id or 0, "")) if w),
            )
            for e in found.embargoes
        ],
        people=[person_consent_of(p, consents.get(p.id)) for p in people],
    )


def person_consent_of(person: Person, consent: MediaConsent | None) -> checks.PersonConsent:
    """No consent recorded means no: nothing may be posted of someone who was not asked."""
    if consent is None:
        return checks.PersonConsent(person.name, False, False, False, False)
    return checks.PersonConsent(
        person.name, consent.photo, consent.video, consent.tagging, consent.naming
    )


PROBLEMS = {
    "embargo": lambda detail: _("Under embargo: nothing about “%(subject)s” yet.", subject=detail),
    "hashtag": lambda detail: _("The hashtag %(tag)s is missing.", tag=detail),
    "photo": lambda detail: _("%(name)s has not agreed to appear in photos.", name=detail),
    "video": lambda detail: _("%(name)s has not agreed to appear in videos.", name=detail),
    "tagging": lambda detail: _("%(name)s has not agreed to be tagged.", name=detail),
    "naming": lambda detail: _("%(name)s has not agreed to be named.", name=detail),
    "topic": lambda detail: _("“%(topic)s” is a topic not to post about.", topic=detail),
    "length": lambda detail: _("%(count)s characters too long for the platform.", count=detail),
}


def problem_lines(check: PostCheck) -> list[str]:
    lines = []
    for line in check.problems.splitlines():
        rule, _tab, detail = line.partition("\t")
        if rule in PROBLEMS:
            lines.append(PROBLEMS[rule](detail))
    return lines


@blueprint.route("/visits/<int:visit_id>/posts", methods=["GET", "POST"])
@login_required
def posts(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.belongs_to_visit(current_user, visit):
        abort(403)
    found = protocol_of(visit)
    members = _members(visit)
    form = _post_form(visit, found, members)
    result = None
    if form.validate_on_submit():
        by_id = {m.person.id: m.person for m in members}
        consents = consents_of(list(by_id))
        draft = checks.Draft(
            text=form.text.data,
            platform_limit=Platform(form.platform.data).max_length,
            post_at=to_utc(form.day.data, form.at.data, visit.time_zone),
            has_video=form.has_video.data,
            pictured=[
                person_consent_of(by_id[i], consents.get(i)) for i in form.pictured.data or []
            ],
            tagged=[person_consent_of(by_id[i], consents.get(i)) for i in form.tagged.data or []],
        )
        found_problems = checks.check_post(draft, rules_of(found, members))
        result = PostCheck(
            visit_id=visit.id,
            author_id=current_user.person_id,
            platform=Platform(form.platform.data),
            text=form.text.data,
            has_video=form.has_video.data,
            post_at=draft.post_at,
            problems="\n".join(f"{rule}\t{detail}" for rule, detail in found_problems),
            pictured=[by_id[i] for i in form.pictured.data or []],
        )
        db.session.add(result)
        db.session.commit()
    log = db.session.scalars(
        select(PostCheck)
        .where(PostCheck.visit_id == visit.id)
        .options(selectinload(PostCheck.author), selectinload(PostCheck.pictured))
        .order_by(PostCheck.checked_at.desc(), PostCheck.id.desc())
        .limit(50)
    ).all()
    decision_form = DecisionForm()
    decision_form.decision.choices = options(Decision.choices())
    return render_template(
        "social/posts.html",
        visit=visit,
        protocol=found,
        form=form,
        result=result,
        log=log,
        problem_lines=problem_lines,
        decision_form=decision_form,
    ), form_status(form)


@blueprint.route("/visits/<int:visit_id>/posts/<int:check_id>", methods=["POST"])
@login_required
def decide(visit_id: int, check_id: int) -> Any:
    visit = access.visit_for(visit_id)
    check = child_of_visit(visit, PostCheck, check_id)
    if check.author_id != current_user.person_id and not access.can_manage_visit(
        current_user, visit
    ):
        abort(403)
    form = DecisionForm()
    form.decision.choices = options(Decision.choices())
    if not form.validate_on_submit():
        abort(400)
    check.decision = Decision(form.decision.data)
    check.decided_at = utcnow()
    db.session.commit()
    flash(_("The decision is logged."), "success")
    return redirect(url_for("social.posts", visit_id=visit.id) + "#log")
