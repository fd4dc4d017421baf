"""Small helpers every blueprint's views share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Response, abort, current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import Select, func, select

from cop.directory.models import Person
from cop.documents.storage import MAIL_ATTACHMENTS, visit_folder
from cop.extensions import db
from cop.forms import CopForm, EmptyForm, PeopleField
from cop.links import LinkError, SignedLink, link_for, resolve_link, token_for
from cop.mail import site_url

if TYPE_CHECKING:
    from cop.computed.store import Result
    from cop.network.stored import NetworkQuestion

Model = TypeVar("Model")

LINK_PROBLEMS = {
    "invalid": (400, lambda: _("This link is not valid. Check you copied the whole link.")),
    "expired": (410, lambda: _("This link has expired. Ask for a new one.")),
    "revoked": (410, lambda: _("This link has already been used or was replaced by a newer one.")),
}


# Which part of the navigation a page belongs to, by the first segment of its path.
NAV_SECTIONS = {
    "programmes": "programmes",
    "survey": "programmes",
    "people": "directory",
    "organisations": "directory",
    "interpreters": "directory",
    "glossary": "directory",
    "contacts": "directory",
    "admin": "directory",
}


def nav_section_of(path: str) -> str:
    """The navigation section of a page: visits unless its address says otherwise."""
    first = path.strip("/").split("/", 1)[0].split(".", 1)[0]
    return NAV_SECTIONS.get(first, "visits")


def sign_in_of_session(user_id: str) -> tuple[int, str, str] | None:
    """(account id, session version, sign-in key) that this browser's session says it signed
    in with (Flask-Login's ``_user_id`` is "id:version"), or None when it says nothing sound.
    The server still has to find that sign-in open."""
    from cop.accounts.models import SESSION_KEY

    identifier, _, version = user_id.partition(":")
    key = session.get(SESSION_KEY)
    if not identifier.isdigit() or not isinstance(key, str):
        return None
    return int(identifier), version, key


def reader_language(profile: str | None) -> str:
    """The language a request's page is in, given the reader's profile language (if signed in):
    the rule of cop.accounts.logic.choose_language on this request."""
    from cop.accounts.logic import choose_language

    return choose_language(
        profile,
        session.get("locale"),
        g.get("link_language"),
        request.accept_languages.best_match,
        current_app.config["LANGUAGES"],
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )


def paginate(query: Select) -> Pagination:
    """One page of a list, the page number taken from ``?page=``; a page past the end is empty."""
    return db.paginate(
        query,
        page=request.args.get("page", 1, type=int) or 1,
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


def child_of_visit(visit: Any, model: type[Model], child_id: int) -> Model:
    """A row of ``model`` (anything with a ``visit_id``) that belongs to this visit, else 404:
    an id from another visit is answered as if it did not exist."""
    found = db.session.get(model, child_id)
    if found is None or found.visit_id != visit.id:
        abort(404)
    return found


def form_status(form: CopForm) -> int:
    """400 for a form sent back with errors, so that bad input is never answered as a success."""
    return 400 if form.errors else 200


def search_text() -> str:
    return request.args.get("q", "")


def link_behind(purpose: str, token: str) -> SignedLink:
    """The signed link a token stands for (:class:`LinkError` saying why not). The page it opens
    is personal to the link's holder: no browser or proxy may keep a copy of it."""
    g.signed_link_page = True
    return resolve_link(current_app.config["SECRET_KEY"], purpose, token)


def object_behind_link(purpose: str, token: str, model: type[Model]) -> Model:
    """What a signed link points at; :class:`LinkError` when the link or the object is gone."""
    link = link_behind(purpose, token)
    found = db.session.get(model, link.subject_id)
    if found is None:
        raise LinkError("invalid")
    db.session.commit()  # records when the link was last used
    return found


def speak_to(person: Any) -> None:
    """Show this page in the language of the person the link was sent to."""
    g.link_language = person.preferred_language


def link_problem_page(error: LinkError) -> tuple[str, int]:
    """Say plainly why a link cannot be used: 400 for a broken one, 410 for one that is gone."""
    db.session.rollback()
    g.signed_link_page = True
    status, message = LINK_PROBLEMS[error.reason]
    return render_template("accounts/link_problem.html", message=message()), status


def csv_download(body: str, filename: str) -> Response:
    # A byte-order mark so that spreadsheet programs read the accents right.
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def mailed_link(
    purpose: str,
    subject_id: int,
    person_id: int | None,
    endpoint: str,
    *,
    visit_id: int | None = None,
    **values: Any,
) -> str:
    """The full address of the recipient's own working signed link for a subject (issued when
    they have none), as a mail carries it; a resent mail carries the same link as the first.
    With ``visit_id`` the link stops working when the person leaves that visit."""
    secret = current_app.config["SECRET_KEY"]
    link = link_for(secret, purpose, subject_id, person_id=person_id, visit_id=visit_id)
    return site_url(endpoint, token=token_for(secret, link), **values)


def folder_of(visit_id: int) -> Path:
    """Where a visit's documents are kept on this installation."""
    return Path(current_app.instance_path) / visit_folder(visit_id)


def attachments_folder(visit_id: int) -> Path:
    """Where the attachments of a visit's correspondence are kept on this installation."""
    return Path(current_app.instance_path) / visit_folder(visit_id, MAIL_ATTACHMENTS)


# Choosing people from the directory. A picker lists at most PICKER_SIZE people matching what
# was searched (``who`` in the query string, without JavaScript a GET form of its own; with it,
# static/js/choose.js fetches the same page as one types); people just added to the directory
# come back chosen (``chosen`` ids, see ``new_person``).
PICKER_SIZE = 30


@dataclass(frozen=True)
class Picker:
    """What a people picker shows: the search, how many match it, and the field's choices."""

    who: str
    shown: int
    total: int


def offer_people(
    field: Any,
    candidates: Select,
    *,
    unsearched: Select | None = None,
    chosen: list[int] | None = None,
    limit: int = PICKER_SIZE,
) -> Picker:
    """Give a people field its choices from ``candidates`` (a Select of Person). When a form
    is sent, the choices are the candidates among the people it names, so that no one outside
    them can be chosen by editing the page; otherwise those matching the search (or, before
    any search, ``unsearched`` if given: the people one most likely means), and those brought
    back chosen (``chosen``, and the ``chosen`` ids of the address)."""
    from cop.directory.queries import narrow_people, person_label

    who = request.args.get("who", "").strip()
    chosen = [*(chosen or []), *_ids(request.args.getlist("chosen"))]
    if request.method == "POST":
        # Whoever the form named, if they may be chosen; and, should the form come back with
        # an error, the list they were chosen from.
        chosen += _ids(request.form.getlist(field.name))
    matching = narrow_people(unsearched if unsearched is not None and not who else candidates, who)
    total = db.session.scalar(select(func.count()).select_from(matching.order_by(None).subquery()))
    people = list(db.session.scalars(matching.limit(limit)).unique())
    brought_back = db.session.scalars(candidates.where(Person.id.in_(chosen))).unique().all()
    people = [*brought_back, *(person for person in people if person.id not in chosen)]
    field.choices = [(person.id, person_label(person)) for person in people]
    if brought_back and not field.data:
        ids = [person.id for person in brought_back]
        field.data = ids if isinstance(field, PeopleField) else ids[0]
    return Picker(who, len(people), total or 0)


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdecimal()]


def with_chosen(address: str, person_id: int) -> str:
    """A local address with one more person brought back chosen (see ``offer_people``)."""
    parts = urlsplit(address)
    query = [*parse_qsl(parts.query), ("chosen", str(person_id))]
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))


def confirmation_page(
    title: str,
    what_happens: list[str],
    button_text: str,
    back: tuple[str, str],
    caption: tuple[str, str] | None = None,
) -> str:
    """The page a deletion or removal shows first (its GET): what will happen, a button that
    does it (the same address, POST) and a link back that does nothing. No JavaScript."""
    return render_template(
        "confirm.html",
        title=title,
        what_happens=what_happens,
        button_text=button_text,
        back=back,
        caption=caption,
        form=EmptyForm(),
    )


def visit_titles(language: str) -> dict:
    """Every visit's title in the language, read once a request: most pages name visits (in
    captions, lists and titles), and reading them all at once keeps that to one query."""
    from cop.translation import content

    cache = g.setdefault("content_translations", {})
    key = ("visit titles", language)
    if key not in cache:
        cache[key] = content.visit_titles(db.session, language)
    return cache[key]


def in_reader_language(record: Any, field: str) -> Any:
    """A visit's content (or an organisation's description) as the reader reads it: the
    translation into the interface's language when there is a current one, else the original.
    Each visit's translations are read once a request, whatever the page shows of it."""
    from cop.itinerary.models import ItineraryItem
    from cop.social.models import SocialProtocol
    from cop.translation import content
    from cop.visits.models import Visit

    locale = get_locale()
    language = locale.language if locale else "en"
    kind = content.kind_or_none(record)
    if kind is None:
        # A row a query made (an id and a title, say): shown as it is.
        original = getattr(record, field) or ""
        return content.Reading(original, original, None, False)
    cache = g.setdefault("content_translations", {})
    if kind == "visit" and field == "title":
        return content.reading(record, field, visit_titles(language))
    if kind == "organisation":
        key = ("organisation", record.id, language)
        if key not in cache:
            cache[key] = content.translations_for(db.session, language, organisation_id=record.id)
        return content.reading(record, field, cache[key])
    loaded = cache.setdefault(("visits", language), {"visits": set(), "rows": {}})
    visit_id = content.visit_id_of(record)
    if visit_id not in loaded["visits"]:
        # Every visit whose content this request has loaded is read at once, so a page that
        # lists the items of many visits (a calendar feed, say) reads translations once.
        wanted = {visit_id} | {
            found
            for held in list(db.session.identity_map.values())
            if isinstance(held, (Visit, ItineraryItem, SocialProtocol))
            and (found := content.visit_id_of(held)) is not None
        }
        wanted -= loaded["visits"]
        loaded["rows"].update(content.translations_for(db.session, language, wanted))
        loaded["visits"] |= wanted
    return content.reading(record, field, loaded["rows"])


def commit_written(
    *records: Any, language: str | None = None, fields: tuple[str, ...] | None = None
) -> None:
    """Commit records whose fields readers of the visit's other languages read translated (a
    visit, an itinerary item, the protocol, an embargo, an organisation), written in
    ``language`` (by default the language told from their text, else the writer's). Their
    translations are brought up to date in the same commit and tried only after it, so a
    provider that is down delays them and loses no word."""
    from flask_babel import get_locale

    from cop.database import utcnow
    from cop.queue import translate_soon
    from cop.retrying import TASK_LEASE
    from cop.translation import content

    writer_language = get_locale().language if get_locale() else "en"
    db.session.flush()
    due = [
        row
        for record in records
        for row in content.written(
            db.session,
            record,
            language or content.language_written(record, fields, writer_language),
            fields,
        )
    ]
    # Left to a worker's task (the retry sweep leaves them to it a while), so the page never
    # waits on the provider.
    lease = utcnow() + TASK_LEASE
    for row in due:
        row.next_attempt_at = lease
    db.session.commit()
    if due:
        translate_soon(content_rows=[row.id for row in due])


# Stands in a stored fragment for the reader's own form token (a token belongs to one session).
CSRF_MARK = Markup('<input type="hidden" name="csrf_token" data-cop-stored-token>')


def with_form_token(html: str) -> Markup:
    """Stored HTML (cop.computed) with the reader's own form token where it has CSRF_MARK."""
    token = getattr(EmptyForm(), "csrf_token", "")  # none when CSRF is switched off
    # The HTML is what cop's own templates rendered (and escaped); only the token is added.
    return Markup(html.replace(str(CSRF_MARK), str(token)))  # noqa: S704


def stored_network(question: NetworkQuestion) -> tuple[Result, dict]:
    """The network report asked for and its pictures, from the shared store. A result stored
    before the data last changed is shown as it is, saying when it was computed, while the
    workers compute the new one; without workers (the queue immediate) it is computed now."""
    from cop.network import stored
    from cop.pseudonyms import pseudonym
    from cop.queue import queue_is_immediate, refresh_stored_soon

    secret = current_app.config["SECRET_KEY"]

    def label(person_id: int) -> str:
        return pseudonym(secret, person_id)

    stale_is_enough = not queue_is_immediate()
    computed = stored.report(db.session, question, label, stale_is_enough=stale_is_enough)
    pictures = stored.pictures(
        db.session,
        question,
        computed.value,
        str(get_locale()),
        label,
        stale_is_enough=stale_is_enough,
    )
    if not computed.fresh:
        refresh_stored_soon()
    return computed, pictures.value
