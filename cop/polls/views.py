from __future__ import annotations

from datetime import time, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from cop import access
from cop.calendars.ics import CalendarDay, build_day_calendar
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.formatting import (
    country_name,
    format_day_range,
    format_full_day,
    format_full_day_range,
    format_moment,
    regional_locale,
)
from cop.forms import options
from cop.itinerary.logic import to_utc
from cop.links import LinkError
from cop.mail import language_of, mail_person
from cop.polls import logic
from cop.polls.forms import CloseForm, PollForm, ReminderForm, answer_form
from cop.polls.models import Answer, DateOption, DatePoll, DateVote, PollInvitee
from cop.polls.notices import ANSWER_PURPOSE, answer_url, end_answer_links, tell_leads
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    form_status,
    link_problem_page,
    object_behind_link,
    speak_to,
)
from cop.visits.logic import agree_dates as agree_visit_dates
from cop.visits.models import MembershipRole, Visit
from cop.visits.queries import members_of_visit

blueprint = Blueprint("polls", __name__)


def _poll_of(visit: Visit, poll_id: int) -> DatePoll:
    poll = db.session.scalar(
        select(DatePoll)
        .where(DatePoll.id == poll_id, DatePoll.visit_id == visit.id)
        .options(
            selectinload(DatePoll.options),
            selectinload(DatePoll.invitees)
            .joinedload(PollInvitee.person)
            .joinedload(Person.organisation),
            selectinload(DatePoll.invitees).selectinload(PollInvitee.votes),
        )
    )
    if poll is None:
        abort(404)
    return poll


def _answer_url(invitee: PollInvitee) -> str:
    return answer_url(db.session, invitee, current_app.config["SECRET_KEY"])


@blueprint.route("/visits/<int:visit_id>/polls/new", methods=["GET", "POST"])
@login_required
def new_poll(visit_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, manage=True)
    members = list(db.session.scalars(members_of_visit(visit.id)).unique())
    form = PollForm()
    people = [(m.person.id, f"{m.person.name} ({m.role.label})") for m in members]
    form.invitee_ids.choices = options(people)
    form.key_person_ids.choices = options(people)
    if request.method == "GET":
        form.invitee_ids.data = [m.person.id for m in members]
        form.key_person_ids.data = [
            m.person.id for m in members if m.role in (MembershipRole.LEAD, MembershipRole.HOST)
        ]
    if form.validate_on_submit():
        windows, problems = logic.parse_options(form.candidate_dates.data)
        others, unknown = _people_by_email(form.other_emails.data or "")
        if problems:
            form.candidate_dates.errors = [
                _(
                    "These lines are not dates like 2017-03-06 or 2017-03-06 to 2017-03-07 "
                    "(at most 31 days): %(lines)s",
                    lines="; ".join(problems),
                )
            ]
        elif unknown:
            form.other_emails.errors = [
                _(
                    "No one in the directory has these addresses: %(emails)s",
                    emails=", ".join(unknown),
                )
            ]
        elif not (form.invitee_ids.data or others):
            form.invitee_ids.errors = [_("Ask at least one person")]
        else:
            poll = _create_poll(visit, form, windows, others)
            flash(
                ngettext(
                    "The poll is open and %(num)s person has been asked.",
                    "The poll is open and %(num)s people have been asked.",
                    len(poll.invitees),
                ),
                "success",
            )
            return redirect(url_for("polls.poll", visit_id=visit.id, poll_id=poll.id))
    return render_template("polls/poll_form.html", form=form, visit=visit), form_status(form)


def _people_by_email(text: str) -> tuple[list[Person], list[str]]:
    emails = [line.strip().lower() for line in text.replace(",", "\n").splitlines() if line.strip()]
    found = {
        person.email: person
        for person in db.session.scalars(select(Person).where(Person.email.in_(emails)))
    }
    return list(found.values()), [email for email in emails if email not in found]


def _create_poll(visit: Visit, form: PollForm, windows, others: list[Person]) -> DatePoll:
    deadline = None
    if form.deadline.data:
        deadline = to_utc(form.deadline.data + timedelta(days=1), time(0), visit.time_zone)
    poll = DatePoll(visit_id=visit.id, deadline=deadline)
    poll.options = [DateOption(first_day=first, last_day=last) for first, last in windows]
    people = {person.id: person for person in others}
    for person in db.session.scalars(
        select(Person).where(Person.id.in_(form.invitee_ids.data or []))
    ):
        people[person.id] = person
    key = set(form.key_person_ids.data or [])
    poll.invitees = [
        PollInvitee(person=person, key_person=person.id in key) for person in people.values()
    ]
    db.session.add(poll)
    db.session.flush()
    for invitee in poll.invitees:
        if invitee.person.email:
            mail_person(
                invitee.person, "poll_invitation", visit=visit, poll=poll, link=_answer_url(invitee)
            )
    db.session.commit()
    return poll


def _places(poll: DatePoll) -> set[logic.Place]:
    places = {logic.Place(poll.visit.host_country)}
    for invitee in poll.invitees:
        organisation = invitee.person.organisation
        if organisation is not None:
            places.add(logic.Place(organisation.country, organisation.subdivision))
    return places


def _scores(poll: DatePoll, language: str) -> list[logic.OptionScore]:
    places = _places(poll)
    holidays_by_option = {
        option.id: logic.holidays_between(places, option.first_day, option.last_day, language)
        for option in poll.options
    }
    weekends = {
        option.id: logic.weekend_days(option.first_day, option.last_day) for option in poll.options
    }
    votes = [
        (vote.option_id, vote.answer, invitee.person.name, invitee.key_person)
        for invitee in poll.invitees
        for vote in invitee.votes
    ]
    return logic.rank_options([o.id for o in poll.options], votes, holidays_by_option, weekends)


@blueprint.route("/visits/<int:visit_id>/polls/<int:poll_id>")
@stored_page
@login_required
def poll(visit_id: int, poll_id: int) -> str:
    visit = access.visit_for(visit_id)
    return _poll_page(visit, _poll_of(visit, poll_id), ReminderForm())


def _poll_page(visit: Visit, found: DatePoll, reminder_form: ReminderForm) -> str:
    scores = _scores(found, get_locale().language if get_locale() else "en")
    close_form = CloseForm()
    close_form.option_id.choices = options(
        (score.option_id, _option_label(found, score.option_id)) for score in scores
    )
    mine = next((i for i in found.invitees if i.person_id == current_user.person_id), None)
    return render_template(
        "polls/poll.html",
        visit=visit,
        poll=found,
        scores=scores,
        options_by_id={option.id: option for option in found.options},
        answers={
            (vote.invitee_id, vote.option_id): vote.answer
            for invitee in found.invitees
            for vote in invitee.votes
        },
        is_open=found.is_open(utcnow()),
        can_manage=access.can_manage_visit(current_user, visit),
        my_invitation=mine,
        close_form=close_form,
        reminder_form=reminder_form,
    )


def _option_label(poll: DatePoll, option_id: int) -> str:
    option = next(option for option in poll.options if option.id == option_id)
    return format_day_range(option.first_day, option.last_day)


def _answer(
    poll: DatePoll, invitee: PollInvitee, template_args: dict
) -> str | Response | tuple[str, int]:
    # The weekdays, holidays and weekends of each date, as the poll form promises its invitees,
    # named in the reader's language.
    scores = {
        score.option_id: score
        for score in _scores(poll, get_locale().language if get_locale() else "en")
    }
    labels = [
        (
            option.id,
            format_full_day_range(option.first_day, option.last_day),
            _date_notes(scores[option.id]),
        )
        for option in poll.options
    ]
    form_class = answer_form(labels)
    existing = {vote.option_id: vote.answer.value for vote in invitee.votes}
    form = form_class(
        data={f"option_{k}": v for k, v in existing.items()} | {"comment": invitee.comment}
    )
    is_open = poll.is_open(utcnow())
    if request.method == "POST":
        if not is_open:
            return render_template(
                "polls/answer.html",
                form=form,
                poll=poll,
                invitee=invitee,
                is_open=False,
                **template_args,
            ), 409
        if form.validate_on_submit():
            _save_answers(poll, invitee, form)
            flash(
                _("Thank you: your answers are saved. You can change them until the poll closes."),
                "success",
            )
            return redirect(request.path)
    return render_template(
        "polls/answer.html", form=form, poll=poll, invitee=invitee, is_open=is_open, **template_args
    ), form_status(form)


def _date_notes(score: logic.OptionScore) -> str:
    notes = [
        _(
            "Public holiday in %(place)s: %(name)s (%(day)s)",
            place=country_name(holiday.place.country)
            + (f" – {holiday.place.subdivision}" if holiday.place.subdivision else ""),
            name=holiday.name,
            day=format_full_day(holiday.day),
        )
        for holiday in score.holidays
    ]
    notes += [_("Weekend: %(day)s", day=format_full_day(day)) for day in score.weekend]
    return " · ".join(notes)


def _save_answers(poll: DatePoll, invitee: PollInvitee, form) -> None:
    votes = {vote.option_id: vote for vote in invitee.votes}
    for option in poll.options:
        answer = Answer(form[f"option_{option.id}"].data)
        if option.id in votes:
            votes[option.id].answer = answer
        else:
            invitee.votes.append(DateVote(option_id=option.id, answer=answer))
    invitee.comment = form.comment.data or ""
    invitee.answered_at = utcnow()
    if poll.everyone_answered_at is None and all(
        other.answered_at is not None for other in poll.invitees
    ):
        poll.everyone_answered_at = utcnow()
        tell_leads(db.session, poll, "poll_everyone_answered")
    db.session.commit()


@blueprint.route("/visits/<int:visit_id>/polls/<int:poll_id>/answer", methods=["GET", "POST"])
@login_required
def answer(visit_id: int, poll_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id)
    found = _poll_of(visit, poll_id)
    invitee = next((i for i in found.invitees if i.person_id == current_user.person_id), None)
    if invitee is None:
        abort(403)
    return _answer(found, invitee, {"visit": visit})


@blueprint.route("/polls/<token>", methods=["GET", "POST"])
def answer_by_link(token: str) -> str | Response | tuple[str, int]:
    """Hosts and others without an account answer here, in their own language."""
    try:
        invitee = object_behind_link(ANSWER_PURPOSE, token, PollInvitee)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(invitee.person)
    visit = invitee.poll.visit
    return _answer(_poll_of(visit, invitee.poll_id), invitee, {"visit": visit})


@blueprint.route("/visits/<int:visit_id>/polls/<int:poll_id>/reminder", methods=["POST"])
@login_required
def set_reminder(visit_id: int, poll_id: int) -> str | Response | tuple[str, int]:
    """The lead chooses when those who have not answered are reminded: once, before the
    deadline, each by their own link."""
    visit = access.visit_for(visit_id, manage=True)
    found = _poll_of(visit, poll_id)
    form = ReminderForm()
    now = utcnow()
    if form.validate_on_submit():
        moment = to_utc(form.remind_at.data.date(), form.remind_at.data.time(), visit.time_zone)
        if not found.is_open(now) or found.reminded_at is not None:
            form.remind_at.errors = [_("This poll has closed or has already sent its reminder.")]
        elif moment <= now:
            form.remind_at.errors = [_("Choose a moment still to come.")]
        elif found.deadline is not None and moment >= found.deadline:
            form.remind_at.errors = [_("Choose a moment before the poll’s deadline.")]
        else:
            found.remind_at = moment
            db.session.commit()
            flash(
                _(
                    "Those who have not answered by %(moment)s will be reminded then.",
                    moment=format_moment(moment, visit.time_zone),
                ),
                "success",
            )
            return redirect(url_for("polls.poll", visit_id=visit.id, poll_id=found.id))
    return _poll_page(visit, found, form), 400


@blueprint.route("/visits/<int:visit_id>/polls/<int:poll_id>/close", methods=["POST"])
@login_required
def close(visit_id: int, poll_id: int) -> Response:
    visit = access.visit_for(visit_id, manage=True)
    found = _poll_of(visit, poll_id)
    form = CloseForm()
    form.option_id.choices = options((option.id, "") for option in found.options)
    if not form.validate_on_submit() or found.chosen_option is not None:
        abort(400)
    chosen = next(option for option in found.options if option.id == form.option_id.data)
    chosen.chosen = True
    found.closed_at = found.closed_at or utcnow()
    end_answer_links(found)
    moved_on = agree_visit_dates(visit, chosen.first_day, chosen.last_day)
    _announce_dates(visit, found, chosen)
    db.session.commit()
    flash(_("The dates are set and everyone has been told."), "success")
    if moved_on:
        flash(_("The visit is now: %(status)s.", status=visit.status.label), "success")
    return redirect(url_for("polls.poll", visit_id=visit.id, poll_id=found.id))


def _announce_dates(visit: Visit, poll: DatePoll, chosen: DateOption) -> None:
    people = {invitee.person.id: invitee.person for invitee in poll.invitees}
    for membership in db.session.scalars(members_of_visit(visit.id)).unique():
        people.setdefault(membership.person.id, membership.person)
    for person in people.values():
        if not person.email:
            continue
        with force_locale(regional_locale(language_of(person))):
            ics = build_day_calendar(
                CalendarDay(
                    uid=f"visit-{visit.id}-dates@cop",
                    title=visit.title,
                    first_day=chosen.first_day,
                    last_day=chosen.last_day,
                    updated_at=utcnow(),
                    location=visit.host_city,
                ),
                name=visit.title,
            )
        mail_person(
            person,
            "poll_dates_chosen",
            attachments=[("visit-dates.ics", "text/calendar", ics)],
            visit=visit,
            first_day=chosen.first_day,
            last_day=chosen.last_day,
        )
