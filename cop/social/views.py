"""The social-media protocol of a visit, its approval by the host and acceptance by every
member, and the consent register (the draft-post check is in post_views)."""

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.formatting import format_moment
from cop.forms import EmptyForm, options
from cop.itinerary.logic import to_utc
from cop.itinerary.queries import item_titles
from cop.links import LinkError
from cop.mail import mail_person, site_url
from cop.social import logic
from cop.social.forms import (
    ApprovalForm,
    ConsentForm,
    EmbargoForm,
    ProtocolForm,
)
from cop.social.models import (
    Embargo,
    MediaConsent,
    Platform,
    SocialProtocol,
)
from cop.stored_pages import stored_page
from cop.translation import content
from cop.viewhelpers import (
    commit_written,
    confirmation_page,
    form_status,
    link_behind,
    link_problem_page,
    mailed_link,
    speak_to,
)
from cop.visits.models import Membership, Visit
from cop.visits.notices import tell_leads

blueprint = Blueprint("social", __name__)

APPROVAL_PURPOSE = "protocol_approval"
ACKNOWLEDGE_PURPOSE = "protocol_ack"
NO_ITEM = 0


@blueprint.route("/visits/<int:visit_id>/protocol", methods=["GET", "POST"])
@stored_page
@login_required
def protocol(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    found = logic.protocol_of(db.session, visit.id)
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
            found.hashtags = form.hashtags.data or ""
            found.accounts = form.accounts.data or ""
            found.forbidden_topics = form.forbidden_topics.data or ""
            found.photo_rules = form.photo_rules.data or ""
            found.video_rules = form.video_rules.data or ""
            logic.changed(found, utcnow())
            commit_written(found)
            flash(_("The protocol is saved."), "success")
            return redirect(url_for("social.protocol", visit_id=visit.id))
    return _protocol_page(visit, found, form, EmbargoForm(formdata=None)), form_status(form)


def _protocol_page(
    visit: Visit, found: SocialProtocol, form: ProtocolForm, embargo_form: EmbargoForm
) -> str:
    members = logic.members_of(db.session, visit.id)
    acknowledged = logic.accepted_by(db.session, found)
    items = db.session.execute(item_titles(visit.id)).all()
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
    found = logic.protocol_of(db.session, visit.id)
    form = EmbargoForm()
    form.item_id.choices = options(
        [
            (NO_ITEM, _("None")),
            *((item_id, title) for item_id, title in db.session.execute(item_titles(visit.id))),
        ]
    )
    if form.validate_on_submit():
        embargo = logic.add_embargo(
            found,
            form.subject.data,
            form.item_id.data or None,
            to_utc(form.day.data, form.at.data, visit.time_zone),
            utcnow(),
        )
        commit_written(embargo)
        flash(_("The embargo is added."), "success")
        return redirect(url_for("social.protocol", visit_id=visit.id) + "#embargoes")
    protocol_form = ProtocolForm(formdata=None)
    protocol_form.platforms.choices = options(Platform.choices())
    return _protocol_page(visit, found, protocol_form, form), 400


@blueprint.route(
    "/visits/<int:visit_id>/protocol/embargoes/<int:embargo_id>/delete", methods=["GET", "POST"]
)
@login_required
def remove_embargo(visit_id: int, embargo_id: int) -> Any:
    visit = access.visit_for(visit_id, manage=True)
    found = logic.protocol_of(db.session, visit.id)
    embargo = db.session.get(Embargo, embargo_id)
    if embargo is None or embargo.protocol_id != found.id:
        abort(404)
    back = url_for("social.protocol", visit_id=visit.id, _anchor="embargoes")
    if request.method == "GET":
        approved = [
            _(
                "The protocol changes: the host has to approve it again, and the travellers "
                "to accept it again."
            )
        ]
        return confirmation_page(
            _("Remove the embargo on “%(subject)s”?", subject=embargo.subject),
            [
                _(
                    "Posts about it are no longer held back until %(when)s.",
                    when=format_moment(embargo.until, visit.time_zone),
                ),
                *(approved if found.approved_at is not None else []),
            ],
            _("Remove the embargo"),
            (_("Keep it"), back),
            caption=(visit.title, url_for("visits.visit", visit_id=visit.id)),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    content.forget(db.session, "embargo", [embargo.id])
    logic.remove_embargo(db.session, found, embargo, utcnow())
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
    found = logic.protocol_of(db.session, visit.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    hosts = logic.hosts_to_ask(logic.members_of(db.session, visit.id))
    for host in hosts:
        mail_person(
            host,
            "protocol_approval",
            visit=visit,
            link=_link(APPROVAL_PURPOSE, found, host),
        )
    db.session.commit()
    if hosts:
        flash(
            ngettext(
                "The protocol has been sent to %(num)s host.",
                "The protocol has been sent to %(num)s hosts.",
                len(hosts),
            ),
            "success",
        )
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
        comment = form.comment.data or ""
        approved = request.form.get("answer") == "approve"
        if approved:
            logic.approve(found, host, comment, utcnow())
            flash(_("Thank you: the protocol is approved."), "success")
        else:
            found.host_comment = comment or found.host_comment
            flash(_("Thank you: the organisers will read your comment."), "success")
        # The comment is the host's words in the host's language: kept, translated for the
        # leads, and only then mailed to them, each in their own language.
        commit_written(found, fields=("host_comment",))
        tell_leads(
            db.session,
            found.visit,
            "protocol_answered",
            host=host,
            approved=approved,
            comment=comment,
            protocol=found,
            link=site_url("social.protocol", visit_id=found.visit_id),
        )
        db.session.commit()
        return redirect(request.path)
    return render_template(
        "social/approve.html", protocol=found, visit=found.visit, host=host, form=form
    ), form_status(form)


@blueprint.route("/visits/<int:visit_id>/protocol/acknowledge", methods=["POST"])
@login_required
def acknowledge(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    found = logic.protocol_of(db.session, visit.id)
    is_member = db.session.scalar(
        select(Membership.id).where(
            Membership.visit_id == visit.id, Membership.person_id == current_user.person_id
        )
    )
    if is_member is None:
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not logic.accept(db.session, found, current_user.person_id):
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
    found = logic.protocol_of(db.session, visit.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = remind_members(found)
    db.session.commit()
    flash(
        ngettext("%(num)s member has been reminded.", "%(num)s members have been reminded.", count),
        "success",
    )
    return redirect(url_for("social.protocol", visit_id=visit.id))


def remind_members(found: SocialProtocol) -> int:
    """Mail every member who has not accepted the current, approved version a link to do so."""
    people = logic.to_remind(db.session, found)
    for person in people:
        mail_person(
            person,
            "protocol_acknowledge",
            visit=found.visit,
            link=_link(ACKNOWLEDGE_PURPOSE, found, person),
        )
    return len(people)


@blueprint.route("/protocol/acknowledge/<token>", methods=["GET", "POST"])
def acknowledge_by_link(token: str) -> Any:
    """For members without an account: read the protocol, accept it, and say what may be
    posted of them."""
    try:
        found, person = _protocol_behind(ACKNOWLEDGE_PURPOSE, token)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(person)
    consent = logic.current_consent(db.session, person.id)
    form = _consent_form(consent)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if request.form.get("answer") == "acknowledge":
                if logic.accept(db.session, found, person.id):
                    flash(_("Thank you: you have accepted the protocol."), "success")
                else:
                    flash(_("The host has not approved this version yet."), "error")
            else:
                _record_consent(person, form, recorded_by=person)
                flash(_("Your choices are saved."), "success")
            db.session.commit()
            return redirect(request.path)
        status = 400
    acknowledged = logic.accepted_at(db.session, found, person.id)
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
    choices = logic.ConsentChoices(
        photo=form.photo.data,
        video=form.video.data,
        tagging=form.tagging.data,
        naming=form.naming.data,
        note=form.note.data or "",
    )
    logic.record_consent(db.session, person, choices, recorded_by)


def _consent_page(person: Person, own: bool) -> Any:
    form = _consent_form(logic.current_consent(db.session, person.id))
    if form.validate_on_submit():
        _record_consent(person, form, recorded_by=current_user.person)
        db.session.commit()
        flash(_("The choices are saved; the earlier ones stay in the history."), "success")
        return redirect(request.path)
    history = logic.consent_history(db.session, person.id)
    return render_template(
        "social/consent.html", person=person, form=form, history=history, own=own
    ), form_status(form)


@blueprint.route("/consent", methods=["GET", "POST"])
@stored_page
@login_required
def my_consent() -> Any:
    if current_user.person is None:
        abort(403)
    return _consent_page(current_user.person, own=True)


@blueprint.route("/people/<int:person_id>/consent", methods=["GET", "POST"])
@stored_page
@login_required
def person_consent(person_id: int) -> Any:
    """Consent recorded for someone else (from a paper form): by a lead of one of their visits."""
    person = db.get_or_404(Person, person_id)
    if not access.can_record_consent_for(current_user, person):
        abort(403)
    return _consent_page(person, own=person.id == current_user.person_id)
