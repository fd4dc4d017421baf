"""Interviews researchers transcribe: who, when, where the recording is kept, what the
interviewee agreed to, and the transcript (WebVTT, SRT or text) as passages to code."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from cop import access
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import options
from cop.privacy.models import Erasure
from cop.reflections import logic
from cop.reflections.forms import (
    InterviewForm,
)
from cop.reflections.models import (
    Consent,
    Phase,
    Reflection,
    ReflectionSource,
)
from cop.reflections.transcripts import TranscriptError, parse_transcript
from cop.visits.models import Membership, MembershipRole

blueprint = Blueprint("interviews", __name__)

NO_SESSION = 0
TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024


@blueprint.route("/visits/<int:visit_id>/interviews/new", methods=["GET", "POST"])
@login_required
def new_interview(visit_id: int) -> Any:
    visit = access.visit_for(visit_id)
    if not access.researches_visit(current_user, visit):
        abort(403)
    form = InterviewForm()
    members = db.session.execute(
        select(Person.id, Person.name)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.visit_id == visit.id,
            Membership.role.in_((MembershipRole.PARTICIPANT, MembershipRole.LEAD)),
            # Someone erased is not interviewed again under their pseudonym.
            Person.id.not_in(select(Erasure.person_id)),
        )
        .order_by(Person.name)
    ).all()
    form.person_id.choices = options((m.id, m.name) for m in members)
    form.phase.choices = options(Phase.choices())
    form.consent.choices = options(
        (consent.value, consent.label) for consent in logic.readable_consents()
    )
    problem = ""
    if form.validate_on_submit():
        turns, problem = _transcript_turns(form)
        if not problem:
            names = {m.id: m.name for m in members}
            candidates = [(form.person_id.data, names[form.person_id.data])]
            if current_user.person is not None:
                candidates.append((current_user.person_id, current_user.person.name))
            extra = [x.strip() for x in (form.interviewee_labels.data or "").split(",")]
            speakers = logic.map_speakers(
                [turn.speaker for turn in turns],
                candidates,
                {form.person_id.data: [x for x in extra if x]},
            )
            reflection = Reflection(
                visit_id=visit.id,
                person_id=form.person_id.data,
                phase=Phase(form.phase.data),
                source=ReflectionSource.INTERVIEW,
                consent=Consent(form.consent.data),
                video_reference=form.video_reference.data or "",
                interviewed_on=form.interviewed_on.data,
                created_by_id=current_user.id,
                submitted_at=utcnow(),
                passages=logic.passages_of(turns, speakers),
            )
            db.session.add(reflection)
            db.session.commit()
            flash(
                ngettext(
                    "The interview is saved with %(num)s passage.",
                    "The interview is saved with %(num)s passages.",
                    len(turns),
                ),
                "success",
            )
            return redirect(
                url_for("reflections.reflection", visit_id=visit.id, reflection_id=reflection.id)
            )
        form.transcript.errors = [problem]
    status = 400 if (form.errors or problem) else 200
    return render_template("reflections/interview.html", visit=visit, form=form), status


TRANSCRIPT_PROBLEMS = {
    "empty": lambda: _("The transcript holds no text we can read."),
    "malformed": lambda: _(
        "The file is not a WebVTT or SubRip transcript we can read: check that each cue has a "
        "time line like 00:01:05.000 --> 00:01:09.000."
    ),
    "too_long": lambda: _("The transcript has too many passages; split it into parts."),
    "too_big": lambda: _("The file is larger than %(mb)s MB.", mb=2),
    "not_text": lambda: _("The file is not text in UTF-8; save it as UTF-8 and try again."),
    "missing": lambda: _("Choose a transcript file or paste the transcript."),
}


def _transcript_turns(form: InterviewForm) -> tuple[list, str]:
    upload = form.transcript.data
    filename = ""
    if upload and getattr(upload, "filename", ""):
        raw = upload.stream.read(TRANSCRIPT_MAX_BYTES + 1)
        if len(raw) > TRANSCRIPT_MAX_BYTES:
            return [], TRANSCRIPT_PROBLEMS["too_big"]()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], TRANSCRIPT_PROBLEMS["not_text"]()
        filename = upload.filename
    else:
        text = form.transcript_text.data or ""
    if not text.strip():
        return [], TRANSCRIPT_PROBLEMS["missing"]()
    try:
        return parse_transcript(text, filename), ""
    except TranscriptError as error:
        return [], TRANSCRIPT_PROBLEMS[error.reason]()
