"""The interpreters' directory: who interprets, in which pairs, modes and fields, at which rates,
when they cannot work, and the personal link to their bookings."""

from __future__ import annotations

from typing import Any

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
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.directory.models import Person
from cop.extensions import db
from cop.formatting import format_day_range, language_name
from cop.forms import EmptyForm, options
from cop.interpreting import bookings as booking_logic
from cop.interpreting import directory, logic
from cop.interpreting.forms import (
    InterpreterForm,
    UnavailableForm,
)
from cop.interpreting.models import (
    Interpreter,
    Knowledge,
    Mode,
    Unavailability,
)
from cop.links import issue_link, revoke_links
from cop.mail import language_of, mail_person, site_url
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    confirmation_page,
    form_status,
    paginate,
)

blueprint = Blueprint("interpreters", __name__)

LINK_PURPOSE = booking_logic.LINK_PURPOSE


@blueprint.route("/interpreters")
@stored_page
@access.organiser_required
def interpreters() -> str:
    pair = request.args.get("pair", "").strip()
    knowledge = request.args.get("knowledge", "")
    problem = ""
    try:
        wanted = logic.parse_pairs(pair) if pair else []
    except ValueError:
        wanted, problem = [], _("Write a language pair like fr>en or fr<>en.")
    known = {k.value for k in Knowledge}
    query = directory.directory_query(wanted, Knowledge(knowledge) if knowledge in known else None)
    return render_template(
        "interpreting/interpreters.html",
        page=paginate(query),
        pair=pair,
        knowledge=knowledge,
        knowledge_choices=Knowledge.choices(),
        problem=problem,
        format_pairs=lambda interpreter: logic.format_pairs(
            [(p.source, p.target) for p in interpreter.pairs]
        ),
    ), (400 if problem else 200)


def _prepare(form: InterpreterForm) -> None:
    form.language.choices = options(
        (code, language_name(code)) for code in current_app.config["LANGUAGES"]
    )
    form.modes.choices = options(Mode.choices())
    form.knowledge.choices = options(Knowledge.choices())


def _save(form: InterpreterForm, interpreter: Interpreter | None) -> Interpreter | None:
    try:
        pairs = logic.parse_pairs(form.pairs.data)
    except ValueError as error:
        form.pairs.errors = [
            _("“%(pair)s” is not a language pair like fr>en or fr<>en.", pair=str(error))
        ]
        return None
    email = form.email.data.lower()
    try:
        person = directory.person_for(db.session, email, interpreter)
    except directory.EntryProblem as problem:
        form.email.errors = [
            _("This person is already in the interpreters’ directory.")
            if str(problem) == "already_interpreter"
            else _("Someone else in the directory has this email address.")
        ]
        return None
    if person is None:
        person = Person(name=form.name.data, email=email)
        db.session.add(person)
    name = form.name.data
    changes_identity = person.id is not None and (name, email) != (person.name, person.email)
    if changes_identity and not access.can_edit_person(current_user, person):
        # The same rule as the directory's: an account holder's name and address are theirs.
        form.email.errors = [
            _(
                "Only %(name)s or an administrator can change their name or email address.",
                name=person.name,
            )
        ]
        return None
    person.name, person.email = name, email
    person.preferred_language = form.language.data
    if interpreter is None:
        interpreter = Interpreter(person=person)
        db.session.add(interpreter)
    interpreter.modes = [Mode(value) for value in form.modes.data] or [Mode.CONSECUTIVE]
    interpreter.knowledge = [Knowledge(value) for value in form.knowledge.data or []]
    interpreter.day_rate = form.day_rate.data
    interpreter.half_day_rate = form.half_day_rate.data
    interpreter.currency = form.currency.data.upper()
    interpreter.notes = form.notes.data or ""
    directory.replace_pairs(interpreter, pairs)
    db.session.commit()
    return interpreter


@blueprint.route("/interpreters/new", methods=["GET", "POST"])
@access.organiser_required
def new_interpreter() -> Any:
    form = InterpreterForm()
    _prepare(form)
    if request.method == "GET":
        form.language.data = "fr"
    if form.validate_on_submit() and (saved := _save(form, None)) is not None:
        flash(_("%(name)s is in the interpreters’ directory.", name=saved.person.name), "success")
        return redirect(url_for("interpreters.interpreter", interpreter_id=saved.id))
    status = 400 if form.errors else 200
    return render_template(
        "interpreting/interpreter_form.html", form=form, interpreter=None
    ), status


@blueprint.route("/interpreters/<int:interpreter_id>", methods=["GET", "POST"])
@stored_page
@access.organiser_required
def interpreter(interpreter_id: int) -> Any:
    found = db.get_or_404(Interpreter, interpreter_id)
    form = InterpreterForm() if request.method == "POST" else _filled_form(found)
    _prepare(form)
    if form.validate_on_submit() and _save(form, found) is not None:
        flash(_("The interpreter’s details are saved."), "success")
        return redirect(url_for("interpreters.interpreter", interpreter_id=found.id))
    return _interpreter_page(found, form, UnavailableForm(formdata=None)), form_status(form)


def _filled_form(found: Interpreter) -> InterpreterForm:
    form = InterpreterForm(
        formdata=None,
        name=found.person.name,
        email=found.person.email,
        language=language_of(found.person),
        pairs=logic.format_pairs([(p.source, p.target) for p in found.pairs]),
        modes=[m.value for m in found.modes],
        knowledge=[k.value for k in found.knowledge],
        day_rate=found.day_rate,
        half_day_rate=found.half_day_rate,
        currency=found.currency,
        notes=found.notes,
    )
    _prepare(form)
    return form


def _interpreter_page(
    found: Interpreter, form: InterpreterForm, unavailable_form: UnavailableForm
) -> str:
    bookings = booking_logic.bookings_of_interpreter(db.session, found, newest_first=True)
    return render_template(
        "interpreting/interpreter_form.html",
        form=form,
        interpreter=found,
        bookings=bookings,
        unavailable_form=unavailable_form,
        empty_form=EmptyForm(),
    )


@blueprint.route("/interpreters/<int:interpreter_id>/unavailable", methods=["POST"])
@access.organiser_required
def add_unavailable(interpreter_id: int) -> Any:
    found = db.get_or_404(Interpreter, interpreter_id)
    form = UnavailableForm()
    if form.validate_on_submit():
        if form.last_day.data < form.first_day.data:
            form.last_day.errors = [_("The last day must not be before the first.")]
        else:
            found.unavailable.append(
                Unavailability(
                    first_day=form.first_day.data,
                    last_day=form.last_day.data,
                    note=form.note.data or "",
                )
            )
            db.session.commit()
            flash(_("The days are marked as unavailable."), "success")
            return redirect(url_for("interpreters.interpreter", interpreter_id=found.id))
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "error")
    return _interpreter_page(found, _filled_form(found), form), 400


@blueprint.route(
    "/interpreters/<int:interpreter_id>/unavailable/<int:unavailable_id>/delete",
    methods=["GET", "POST"],
)
@access.organiser_required
def remove_unavailable(interpreter_id: int, unavailable_id: int) -> Any:
    found = db.get_or_404(Interpreter, interpreter_id)
    entry = db.session.get(Unavailability, unavailable_id)
    if entry is None or entry.interpreter_id != found.id:
        abort(404)
    if request.method == "GET":
        days = format_day_range(entry.first_day, entry.last_day)
        return confirmation_page(
            _("Remove %(name)s’s unavailability, %(days)s?", name=found.person.name, days=days),
            [_("They can then be booked on those days.")],
            _("Remove it"),
            (_("Keep it"), url_for("interpreters.interpreter", interpreter_id=found.id)),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(entry)
    db.session.commit()
    return redirect(url_for("interpreters.interpreter", interpreter_id=found.id))


@blueprint.route("/interpreters/<int:interpreter_id>/link", methods=["POST"])
@access.organiser_required
def send_link(interpreter_id: int) -> WerkzeugResponse:
    """Send the interpreter a new link to their bookings; any older link stops working."""
    found = db.get_or_404(Interpreter, interpreter_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    revoke_links(LINK_PURPOSE, found.id)
    issued = issue_link(
        current_app.config["SECRET_KEY"], LINK_PURPOSE, found.id, person_id=found.person_id
    )
    mail_person(
        found.person,
        "interpreter_link",
        link=site_url("interpreting.linked", token=issued.token),
    )
    db.session.commit()
    flash(_("A new link has been sent; the old one no longer works."), "success")
    return redirect(url_for("interpreters.interpreter", interpreter_id=found.id))
