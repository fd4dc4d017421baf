"""The draft-post check: a draft read against the protocol and everyone's consent before it is
posted, and the visit's log of checks and what was decided."""

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

from cop import access
from cop.database import utcnow
from cop.extensions import db
from cop.forms import options
from cop.itinerary.logic import in_zone, to_utc
from cop.social import logic
from cop.social.forms import (
    DecisionForm,
    PostCheckForm,
)
from cop.social.models import (
    Decision,
    Platform,
    PostCheck,
    SocialProtocol,
)
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    child_of_visit,
    form_status,
)
from cop.visits.models import Membership, Visit

blueprint = Blueprint("posts", __name__)


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


PROBLEMS = {
    "embargo": lambda detail: _("Under embargo: nothing about “%(subject)s” yet.", subject=detail),
    "hashtag": lambda detail: _("The hashtag %(tag)s is missing.", tag=detail),
    "photo": lambda detail: _("%(name)s has not agreed to appear in photos.", name=detail),
    "video": lambda detail: _("%(name)s has not agreed to appear in videos.", name=detail),
    "tagging": lambda detail: _("%(name)s has not agreed to be tagged.", name=detail),
    "naming": lambda detail: _("%(name)s has not agreed to be named.", name=detail),
    "topic": lambda detail: _("“%(topic)s” is a topic not to post about.", topic=detail),
    "length": lambda detail: ngettext(
        "%(num)s character too long for the platform.",
        "%(num)s characters too long for the platform.",
        int(detail),
    ),
}


def problem_lines(check: PostCheck) -> list[str]:
    lines = []
    for line in check.problems.splitlines():
        rule, _tab, detail = line.partition("\t")
        if rule in PROBLEMS:
            lines.append(PROBLEMS[rule](detail))
    return lines


@blueprint.route("/visits/<int:visit_id>/posts", methods=["GET", "POST"])
@stored_page
@login_required
def posts(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.belongs_to_visit(current_user, visit):
        abort(403)
    found = logic.protocol_of(db.session, visit.id)
    members = logic.members_of(db.session, visit.id)
    form = _post_form(visit, found, members)
    result = None
    if form.validate_on_submit():
        result = logic.check_and_log(
            db.session,
            found,
            members,
            current_user.person_id,
            logic.DraftPost(
                text=form.text.data,
                platform=Platform(form.platform.data),
                post_at=to_utc(form.day.data, form.at.data, visit.time_zone),
                has_video=form.has_video.data,
                pictured_ids=list(form.pictured.data or []),
                tagged_ids=list(form.tagged.data or []),
            ),
        )
        db.session.commit()
    log = logic.post_log(db.session, visit.id)
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
    return redirect(url_for("posts.posts", visit_id=visit.id) + "#log")
