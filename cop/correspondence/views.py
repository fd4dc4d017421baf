from __future__ import annotations

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from cop import access
from cop.correspondence import logic
from cop.correspondence.forms import (
    MessageLanguageForm,
    ReceivedMessageForm,
    ReviewForm,
    ThreadForm,
)
from cop.correspondence.models import Direction, Message, MessageTranslation, Thread
from cop.database import utcnow
from cop.directory.queries import organisation_choices
from cop.extensions import db
from cop.formatting import language_name
from cop.forms import EmptyForm, options
from cop.queue import translate_soon
from cop.stored_pages import stored_page
from cop.translation.language import UNDETERMINED, identify
from cop.translation.models import TranslationStatus
from cop.translation.providers import ProviderSettings
from cop.viewhelpers import form_status
from cop.visits.models import Visit

blueprint = Blueprint("correspondence", __name__)

NOBODY = 0
AUTO = "auto"


def provider_settings() -> ProviderSettings:
    return ProviderSettings.from_config(current_app.config)


@blueprint.route("/visits/<int:visit_id>/correspondence", methods=["GET", "POST"])
@stored_page
@login_required
def threads(visit_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, records=True)
    form = ThreadForm()
    form.counterpart_organisation_id.choices = options(
        [(NOBODY, _("No organisation named")), *organisation_choices(db.session)]
    )
    if request.method == "GET" and visit.host_organisation_id:
        form.counterpart_organisation_id.data = visit.host_organisation_id
    if form.is_submitted() and not access.belongs_to_visit(current_user, visit):
        abort(403)
    if form.validate_on_submit():
        thread = Thread(
            visit_id=visit.id,
            subject=form.subject.data,
            counterpart_organisation_id=form.counterpart_organisation_id.data or None,
        )
        db.session.add(thread)
        db.session.commit()
        return redirect(url_for("correspondence.thread", visit_id=visit.id, thread_id=thread.id))
    found = db.session.scalars(
        select(Thread)
        .where(Thread.visit_id == visit.id)
        .options(joinedload(Thread.counterpart_organisation))
        .order_by(Thread.created_at.desc())
    ).all()
    return render_template(
        "correspondence/threads.html",
        visit=visit,
        threads=found,
        form=form,
        may_write=access.belongs_to_visit(current_user, visit),
    ), form_status(form)


def _thread_of(visit: Visit, thread_id: int) -> Thread:
    thread = db.session.scalar(
        select(Thread)
        .where(Thread.id == thread_id, Thread.visit_id == visit.id)
        .options(
            selectinload(Thread.messages).selectinload(Message.translations),
            selectinload(Thread.messages).selectinload(Message.attachments),
        )
    )
    if thread is None:
        abort(404)
    return thread


def _message_form(visit: Visit) -> ReceivedMessageForm:
    form = ReceivedMessageForm()
    form.language.choices = options(
        [
            (AUTO, _("Find out from the text")),
            *((code, language_name(code)) for code in visit.language_list),
        ]
    )
    return form


@blueprint.route("/visits/<int:visit_id>/correspondence/<int:thread_id>", methods=["GET", "POST"])
@stored_page
@login_required
def thread(visit_id: int, thread_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, records=True)
    found = _thread_of(visit, thread_id)
    form = _message_form(visit)
    if form.is_submitted() and not access.belongs_to_visit(current_user, visit):
        abort(403)
    if form.validate_on_submit():
        language = form.language.data
        if language == AUTO:
            language = identify(form.body.data, visit.language_list)
        if language != UNDETERMINED:
            _keep_received(visit, found, form, language)
            return redirect(url_for("correspondence.thread", visit_id=visit.id, thread_id=found.id))
        form.language.errors.append(
            _(
                "cop cannot tell the language of this text (it is short, or in two "
                "languages): choose it"
            )
        )
    return _thread_page(visit, found, form)


def _keep_received(visit: Visit, found: Thread, form: ReceivedMessageForm, language: str) -> None:
    message = Message(
        thread_id=found.id,
        direction=Direction.INBOUND,
        author_name=form.author_name.data or "",
        language=language,
        body=form.body.data,
    )
    db.session.add(message)
    # Kept first, translated second: a provider failure cannot lose the message.
    db.session.commit()
    target = logic.other_language(visit.language_list or ["en", "fr"], language)
    if not target:
        flash(_("The message is saved."), "success")
        return
    _say_how_it_went(
        translate_in_background(message, target),
        done=_("The message is saved and translated."),
        on_its_way=_("The message is saved; its translation is on its way."),
        waiting=_("The message is saved; its translation is waiting (%(reason)s)."),
    )


def _say_how_it_went(
    translation: MessageTranslation, *, done: str, on_its_way: str, waiting: str
) -> None:
    """Tell the writer where the translation handed to the workers stands now: done (a queue
    that runs tasks at once), on its way, or waiting on the provider (``waiting`` names the
    reason as %(reason)s)."""
    if translation.failure_reason:
        flash(waiting % {"reason": reason_text(translation.failure_reason)}, "error")
    elif translation.status == TranslationStatus.PENDING:
        flash(on_its_way, "success")
    else:
        flash(done, "success")


def translate_in_background(message: Message, target: str) -> MessageTranslation:
    """Hand the message's translation to a worker, so the page never waits on the provider;
    returns it as it is now (a queue that runs tasks at once has done it already)."""
    translation = logic.waiting_translation(db.session, message, target, utcnow())
    db.session.commit()
    translate_soon([translation.id])
    db.session.refresh(translation)
    return translation


def _thread_page(
    visit: Visit,
    found: Thread,
    form: ReceivedMessageForm,
    sent_back: dict[int, MessageLanguageForm] | None = None,
) -> tuple[str, int]:
    """The thread, its messages and translations; a message whose language nobody has given
    carries a form to give it (``sent_back``: the one, by message id, returned with its
    error)."""
    language_forms = {
        message.id: _language_form(visit, message)
        for message in found.messages
        if message.language == UNDETERMINED
    }
    language_forms.update(sent_back or {})
    status = 400 if sent_back else form_status(form)
    return render_template(
        "correspondence/thread.html",
        visit=visit,
        thread=found,
        form=form,
        language_forms=language_forms,
        may_write=access.belongs_to_visit(current_user, visit),
        retry_form=EmptyForm(),
        reason_text=reason_text,
    ), status


def _language_form(visit: Visit, message: Message) -> MessageLanguageForm:
    # One form per message on the page: the prefix keeps their fields' ids apart.
    form = MessageLanguageForm(prefix=f"message-{message.id}")
    form.language.choices = options(
        [("", _("Choose…")), *((code, language_name(code)) for code in visit.language_list)]
    )
    return form


@blueprint.route(
    "/visits/<int:visit_id>/correspondence/<int:thread_id>/messages/<int:message_id>/language",
    methods=["POST"],
)
@login_required
def message_language(visit_id: int, thread_id: int, message_id: int) -> Response | tuple[str, int]:
    """Someone who reads the message says which language it is in (cop could not tell), and
    only then is it translated."""
    visit = access.visit_for(visit_id, records=True)
    found = _thread_of(visit, thread_id)
    if not access.belongs_to_visit(current_user, visit):
        abort(403)
    message = next((m for m in found.messages if m.id == message_id), None)
    if message is None:
        abort(404)
    back = redirect(url_for("correspondence.thread", visit_id=visit.id, thread_id=found.id))
    if message.language != UNDETERMINED:
        flash(_("The language of this message was already given."), "warning")
        return back
    form = _language_form(visit, message)
    if not form.validate_on_submit():
        return _thread_page(visit, found, _message_form(visit), {message.id: form})
    message.language = form.language.data
    db.session.commit()
    target = logic.other_language(visit.language_list, message.language)
    if target is None:
        flash(_("The language is saved."), "success")
        return back
    _say_how_it_went(
        translate_in_background(message, target),
        done=_("The language is saved and the message translated."),
        on_its_way=_("The language is saved; the translation is on its way."),
        waiting=_("The language is saved; the translation is waiting (%(reason)s)."),
    )
    return back


def reason_text(reason: str) -> str:
    reasons = {
        "unreachable": _("the translation service cannot be reached"),
        "timeout": _("the translation service did not answer in time"),
        "refused": _("the translation service refused the request"),
        "rate_limited": _("the translation service asked us to slow down"),
        "server_error": _("the translation service had an error"),
        "empty": _("the translation service returned nothing"),
        "garbage": _("the translation service answered something unreadable"),
        "not_configured": _("no translation service is configured"),
    }
    return reasons.get(reason, _("the translation failed"))


@blueprint.route("/visits/<int:visit_id>/correspondence/<int:thread_id>/retry", methods=["POST"])
@login_required
def retry(visit_id: int, thread_id: int) -> Response:
    visit = access.visit_for(visit_id, records=True)
    found = _thread_of(visit, thread_id)
    if not access.belongs_to_visit(current_user, visit) or not EmptyForm().validate_on_submit():
        abort(403 if not access.belongs_to_visit(current_user, visit) else 400)
    # Handed to the workers (the page does not wait on the service): each waiting translation
    # is leased to its task, so the retry sweep leaves it alone meanwhile.
    now = utcnow()
    waiting = [
        logic.waiting_translation(db.session, message, translation.target_language, now)
        for message in found.messages
        for translation in message.translations
        if translation.status is TranslationStatus.PENDING
    ]
    db.session.commit()
    translate_soon(message_translations=[translation.id for translation in waiting])
    flash(
        ngettext(
            "%(num)s translation is on its way: it shows here when it is done.",
            "%(num)s translations are on their way: they show here when they are done.",
            len(waiting),
        ),
        "success",
    )
    return redirect(url_for("correspondence.thread", visit_id=visit.id, thread_id=found.id))


@blueprint.route(
    "/visits/<int:visit_id>/correspondence/translations/<int:translation_id>",
    methods=["GET", "POST"],
)
@login_required
def review(visit_id: int, translation_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, records=True)
    translation = db.get_or_404(MessageTranslation, translation_id)
    if translation.message.thread.visit_id != visit.id:
        abort(404)
    if not access.belongs_to_visit(current_user, visit):
        abort(403)
    form = ReviewForm()
    if request.method == "GET":
        form.text.data = translation.text
    if form.validate_on_submit():
        logic.review(db.session, translation, form.text.data, current_user.person_id)
        db.session.commit()
        flash(_("Your translation is saved and remembered."), "success")
        return redirect(
            url_for(
                "correspondence.thread", visit_id=visit.id, thread_id=translation.message.thread_id
            )
        )
    return render_template(
        "correspondence/review.html", visit=visit, translation=translation, form=form
    ), form_status(form)
