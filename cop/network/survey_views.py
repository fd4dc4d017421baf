"""Network survey waves: the name-generator questionnaire, answered through personal links."""

from __future__ import annotations

from datetime import timedelta

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
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from cop import access
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import CopForm, EmptyForm, options
from cop.links import LinkError, revoke_links_of
from cop.mail import mail_person
from cop.network.loading import programme_people
from cop.network.models import Frequency, SurveyAnswer, SurveyRespondent, SurveyWave
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    form_status,
    link_problem_page,
    mailed_link,
    object_behind_link,
    speak_to,
)

blueprint = Blueprint("surveys", __name__)

SURVEY_PURPOSE = "network-survey"
NOT_IN_TOUCH = ""


class WaveForm(CopForm):
    title = StringField(
        _l("Name of the wave"),
        description=_l("For example: Baseline, or Follow-up at 6 months."),
        validators=[DataRequired(_l("Enter a name for the wave")), Length(max=200)],
    )
    asked_on = DateField(
        _l("Reference day"), validators=[InputRequired(_l("Enter the reference day"))]
    )
    months = IntegerField(
        _l("Months the question covers"),
        default=3,
        validators=[
            InputRequired(_l("Enter a number of months")),
            NumberRange(min=1, max=24, message=_l("Enter between 1 and 24 months")),
        ],
    )


def _link_for(respondent: SurveyRespondent) -> str:
    return mailed_link(SURVEY_PURPOSE, respondent.id, respondent.person_id, "surveys.answer")


@blueprint.route("/programmes/<int:programme_id>/surveys/new", methods=["GET", "POST"])
@login_required
def new_wave(programme_id: int) -> str | Response | tuple[str, int]:
    programme = access.programme_for(programme_id)
    form = WaveForm()
    if request.method == "GET":
        form.asked_on.data = utcnow().date()
    if form.validate_on_submit():
        ids = [row[0] for row in db.session.execute(programme_people(programme.id))]
        people = db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
        wave = SurveyWave(
            programme_id=programme.id,
            title=form.title.data,
            asked_on=form.asked_on.data,
            months=form.months.data,
            respondents=[SurveyRespondent(person=person) for person in people if person.email],
        )
        db.session.add(wave)
        db.session.flush()
        for respondent in wave.respondents:
            mail_person(
                respondent.person,
                "network_survey",
                programme=programme,
                wave=wave,
                link=_link_for(respondent),
            )
        db.session.commit()
        flash(
            ngettext(
                "The survey is sent to %(num)s person.",
                "The survey is sent to %(num)s people.",
                len(wave.respondents),
            ),
            "success",
        )
        return redirect(url_for("surveys.wave", programme_id=programme.id, wave_id=wave.id))
    return render_template("network/wave_form.html", form=form, programme=programme), form_status(
        form
    )


@blueprint.route("/programmes/<int:programme_id>/surveys/<int:wave_id>")
@stored_page
@login_required
def wave(programme_id: int, wave_id: int) -> str:
    programme = access.programme_for(programme_id)
    found = db.session.scalar(
        select(SurveyWave).where(SurveyWave.id == wave_id, SurveyWave.programme_id == programme.id)
    )
    if found is None:
        abort(404)
    answered = sum(1 for respondent in found.respondents if respondent.answered_at)
    silent = sorted(
        (respondent for respondent in found.respondents if respondent.answered_at is None),
        key=lambda respondent: respondent.person.name.casefold(),
    )
    return render_template(
        "network/wave.html",
        programme=programme,
        wave=found,
        answered=answered,
        silent=silent,
        not_reminded=sum(1 for respondent in silent if respondent.reminded_at is None),
        close_form=EmptyForm(),
    )


@blueprint.route("/programmes/<int:programme_id>/surveys/<int:wave_id>/remind", methods=["POST"])
@login_required
def remind_wave(programme_id: int, wave_id: int) -> Response:
    """Mail each person who has not answered, and has not been reminded, a reminder with their
    own link; only while the wave is open."""
    programme = access.programme_for(programme_id)
    found = db.get_or_404(SurveyWave, wave_id)
    if found.programme_id != programme.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("surveys.wave", programme_id=programme.id, wave_id=found.id)
    if found.closed_at is not None:
        flash(_("The wave is closed: nobody can answer it any more."), "error")
        return redirect(back)
    reminded = 0
    for respondent in found.respondents:
        if respondent.answered_at is not None or respondent.reminded_at is not None:
            continue
        sent = mail_person(
            respondent.person,
            "network_survey_reminder",
            programme=programme,
            wave=found,
            link=_link_for(respondent),
        )
        if sent is not None:
            respondent.reminded_at = utcnow()
            reminded += 1
    db.session.commit()
    flash(
        ngettext(
            "A reminder is on its way to %(num)s person.",
            "A reminder is on its way to %(num)s people.",
            reminded,
        ),
        "success",
    )
    return redirect(back)


@blueprint.route("/programmes/<int:programme_id>/surveys/<int:wave_id>/close", methods=["POST"])
@login_required
def close_wave(programme_id: int, wave_id: int) -> Response:
    programme = access.programme_for(programme_id)
    found = db.get_or_404(SurveyWave, wave_id)
    if found.programme_id != programme.id or not EmptyForm().validate_on_submit():
        abort(404 if found.programme_id != programme.id else 400)
    found.closed_at = found.closed_at or utcnow()
    # A closed wave takes no more answers: its respondents' links stop working.
    revoke_links_of(SURVEY_PURPOSE, [respondent.id for respondent in found.respondents])
    db.session.commit()
    flash(_("The wave is closed: answers can no longer be changed."), "success")
    return redirect(url_for("surveys.wave", programme_id=programme.id, wave_id=found.id))


def _answer_form(others: list[Person]):
    class AnswerForm(CopForm):
        pass

    choices = [(NOT_IN_TOUCH, _("Not in touch")), *Frequency.choices()]
    for person in others:
        setattr(
            AnswerForm,
            f"person_{person.id}",
            SelectField(
                person.name
                + (f" ({person.organisation.name})" if person.organisation is not None else ""),
                choices=options(choices),
                default=NOT_IN_TOUCH,
            ),
        )
    return AnswerForm


@blueprint.route("/survey/<token>", methods=["GET", "POST"])
def answer(token: str) -> str | Response | tuple[str, int]:
    """A respondent names whom they were in touch with, without signing in."""
    try:
        respondent = object_behind_link(SURVEY_PURPOSE, token, SurveyRespondent)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(respondent.person)
    wave_ = respondent.wave
    ids = [row[0] for row in db.session.execute(programme_people(wave_.programme_id))]
    others = db.session.scalars(
        select(Person)
        .where(Person.id.in_(ids), Person.id != respondent.person_id)
        .options(joinedload(Person.organisation))
        .order_by(Person.name)
    ).all()
    form_class = _answer_form(others)
    given = {answer.named_person_id: answer.frequency.value for answer in respondent.answers}
    form = form_class(data={f"person_{pid}": value for pid, value in given.items()})
    period_start = wave_.asked_on - timedelta(days=int(wave_.months * 30.4))
    if request.method == "POST" and wave_.closed_at is not None:
        return render_template(
            "network/survey_answer.html",
            form=form,
            wave=wave_,
            respondent=respondent,
            period_start=period_start,
            closed=True,
        ), 409
    if form.validate_on_submit():
        respondent.answers = [
            SurveyAnswer(
                named_person_id=person.id, frequency=Frequency(form[f"person_{person.id}"].data)
            )
            for person in others
            if form[f"person_{person.id}"].data != NOT_IN_TOUCH
        ]
        respondent.answered_at = utcnow()
        db.session.commit()
        flash(
            _("Thank you: your answers are saved. You can change them until the survey closes."),
            "success",
        )
        return redirect(request.path)
    return render_template(
        "network/survey_answer.html",
        form=form,
        wave=wave_,
        respondent=respondent,
        period_start=period_start,
        closed=wave_.closed_at is not None,
    ), form_status(form)
