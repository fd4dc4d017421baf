"""cop: international study visits, translated correspondence, learning, communities of practice."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel import Locale
from flask import Flask, abort, g, has_request_context, render_template, request, session
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, PendingRollbackError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from cop import config as cop_config
from cop import queue, stored_pages
from cop.accounts.passwords import use_hash_method
from cop.extensions import babel, csrf, db, limiter, login_manager, migrate
from cop.viewhelpers import nav_section_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides every other source of settings."""
    overrides = dict(config or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get(
        "COP_INSTANCE_PATH", str(PROJECT_ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure(app, overrides)
    _init_extensions(app)
    _register_blueprints(app)
    _register_error_pages(app)
    _register_request_hooks(app)
    _register_template_helpers(app)
    _configure_serving(app)
    # Last, so that its hooks run after every other before-request hook and before every other
    # after-request one.
    stored_pages.init_app(app)
    return app


def _configure_serving(app: Flask) -> None:
    """Behind a reverse proxy, trust its forwarded headers; log in the chosen format."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from cop.serving import configure_logging

    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    log_format = app.config.get("LOG_FORMAT") or (
        "json" if app.config["ENV"] == "production" else "text"
    )
    configure_logging(app, log_format)


def _configure(app: Flask, overrides: dict[str, Any]) -> None:
    app.config.from_object(cop_config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(cop_config.settings_from_environment())
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get(
            "DATABASE_URL"
        ) or cop_config.sqlite_url(app.instance_path)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver we install; plain URLs would ask SQLAlchemy for psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = cop_config.engine_options(url)
    options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    secret_was_given = bool(app.config.get("SECRET_KEY"))
    if app.config["ENV"] == "production":
        problems = cop_config.production_problems(app.config, secret_was_given)
        if problems:
            raise cop_config.ConfigurationError(
                "cop will not start in production until these are set:\n- " + "\n- ".join(problems)
            )
    if not secret_was_given:
        app.config["SECRET_KEY"] = cop_config.load_or_create_secret_key(app.instance_path)
    use_hash_method(app.config["PASSWORD_HASH_METHOD"])
    # Cookies travel only over HTTPS outside development; tests and the demo run on plain HTTP.
    production = app.config["ENV"] == "production"
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in overrides:
            app.config[key] = production


def _init_extensions(app: Flask) -> None:
    # Models must be imported before Flask-Migrate compares them with the database.
    from cop import models  # noqa: F401
    from cop.computed import changes  # noqa: F401  (its listeners mark what changed)
    from cop.privacy import audit  # noqa: F401  (its listener records every change)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    queue.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    install_quick_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> Any:
        from cop.accounts.logic import signed_in_user
        from cop.viewhelpers import sign_in_of_session

        said = sign_in_of_session(user_id)
        if said is None:
            return None
        identifier, version, key = said
        # One query: the user, if this browser's session is one the server still holds open.
        user = db.session.scalar(signed_in_user(), {"user_id": identifier, "key": key})
        if user is None or str(user.session_version) != version:
            return None
        return user


def select_language() -> str:
    """The user's profile language, else the one chosen with the switcher, else the browser's."""
    from flask import current_app

    from cop.viewhelpers import reader_language

    if not has_request_context():
        # A console command (``cop demo``, ``cop remind``): nobody to ask, so the default.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    signed_in = current_user and current_user.is_authenticated
    return reader_language(current_user.locale if signed_in else None)


def select_locale() -> str:
    from cop.formatting import regional_locale

    return regional_locale(select_language())


def _current_translations() -> Any:
    """Flask-Babel's translations for the current locale, kept beside the locale they are for.

    Flask-Babel looks up its context three times and formats the locale's name for every text
    a template translates (19,000 on a 505-item itinerary, a fifth of its time); this asks it
    once per locale and request. A forced locale (mail in its reader's language) replaces the
    locale object, which is noticed, and the translations are asked for again."""
    namespace = g.get("_flask_babel")
    locale = getattr(namespace, "babel_locale", None) if namespace is not None else None
    kept = getattr(namespace, "cop_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    namespace = g.get("_flask_babel")
    if namespace is not None:
        namespace.cop_translations = (getattr(namespace, "babel_locale", None), translations)
    return translations


def install_quick_gettext(app: Flask) -> None:
    """Templates translate through _current_translations (newstyle, as Flask-Babel sets up)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _current_translations().ugettext(s),
        ngettext=lambda s, p, n: _current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _current_translations().unpgettext(c, s, p, n),
    )


def _register_blueprints(app: Flask) -> None:
    from cop.accounts.admin_views import blueprint as admin_accounts
    from cop.accounts.views import blueprint as accounts
    from cop.actions.views import blueprint as actions
    from cop.cli import register_commands
    from cop.correspondence.compose_views import blueprint as compose
    from cop.correspondence.import_views import blueprint as mail_import
    from cop.correspondence.views import blueprint as correspondence
    from cop.designs.views import blueprint as designs
    from cop.directory.views import blueprint as directory
    from cop.documents.views import blueprint as documents
    from cop.evaluation.views import blueprint as evaluation
    from cop.interpreting.directory_views import blueprint as interpreters
    from cop.interpreting.views import blueprint as interpreting
    from cop.itinerary.import_views import blueprint as agenda_import
    from cop.itinerary.views import blueprint as itinerary
    from cop.network.survey_views import blueprint as surveys
    from cop.network.views import blueprint as network
    from cop.outbox_views import blueprint as outbox
    from cop.planning.rate_views import blueprint as exchange_rates
    from cop.planning.views import blueprint as planning
    from cop.polls.views import blueprint as polls
    from cop.privacy.views import blueprint as privacy
    from cop.reflections.guide_views import blueprint as guide
    from cop.reflections.interview_views import blueprint as interviews
    from cop.reflections.views import blueprint as reflections
    from cop.research.reading_views import blueprint as reading
    from cop.research.views import blueprint as coding
    from cop.serving import blueprint as serving
    from cop.social.post_views import blueprint as posts
    from cop.social.views import blueprint as social
    from cop.translation.content_views import blueprint as content_translations
    from cop.translation.views import blueprint as glossary
    from cop.visits.views import blueprint as visits

    app.register_blueprint(accounts)
    app.register_blueprint(directory)
    app.register_blueprint(visits)
    app.register_blueprint(itinerary)
    app.register_blueprint(polls)
    app.register_blueprint(planning)
    app.register_blueprint(exchange_rates)
    app.register_blueprint(outbox)
    app.register_blueprint(documents)
    app.register_blueprint(agenda_import)
    app.register_blueprint(network)
    app.register_blueprint(surveys)
    app.register_blueprint(reflections)
    app.register_blueprint(guide)
    app.register_blueprint(interviews)
    app.register_blueprint(coding)
    app.register_blueprint(reading)
    app.register_blueprint(actions)
    app.register_blueprint(admin_accounts)
    app.register_blueprint(interpreting)
    app.register_blueprint(interpreters)
    app.register_blueprint(social)
    app.register_blueprint(posts)
    app.register_blueprint(evaluation)
    app.register_blueprint(serving)
    app.register_blueprint(privacy)
    app.register_blueprint(glossary)
    app.register_blueprint(content_translations)
    app.register_blueprint(correspondence)
    app.register_blueprint(mail_import)
    app.register_blueprint(compose)
    app.register_blueprint(designs)
    register_commands(app)


ERROR_TITLES = {
    400: lambda: _("The request could not be understood"),
    403: lambda: _("You do not have access to this page"),
    404: lambda: _("Page not found"),
    405: lambda: _("This action is not allowed here"),
    413: lambda: _("The file is too large"),
    429: lambda: _("Too many attempts"),
    500: lambda: _("Sorry, there is a problem with the service"),
    503: lambda: _("The service is briefly unavailable"),
}


def error_explanation(code: int) -> str:
    explanations = {
        400: _("Check what you entered and try again."),
        403: _(
            "You are signed in, but your role does not allow this. "
            "Ask the lead of the visit if you think you should have access."
        ),
        404: _("If you typed the web address, check it is correct."),
        405: _("Go back and use the buttons on the page."),
        413: _("Upload a smaller file."),
        429: _("Wait a minute before you try again."),
        500: _("Try again later. Nothing you had already saved has been lost."),
        503: _(
            "The database could not be reached. Try again in a minute: what you sent was not "
            "saved, and nothing saved before has been lost."
        ),
    }
    return explanations.get(code, explanations[400])


def _register_error_pages(app: Flask) -> None:
    def render_error(code: int, message: str | None = None) -> tuple[str, int]:
        title_factory = ERROR_TITLES.get(code, ERROR_TITLES[400])
        return (
            render_template(
                "errors/error.html",
                code=code,
                title=title_factory(),
                explanation=message or error_explanation(code),
            ),
            code,
        )

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            _("The form had expired or was sent from elsewhere. Go back, reload and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400 or error.code not in ERROR_TITLES:
            return error
        return render_error(error.code)

    def is_outage(error: BaseException | None) -> bool:
        """A lost connection (the database restarting), not a fault of the request."""
        if isinstance(error, PendingRollbackError):
            return True
        return isinstance(error, DBAPIError) and (
            error.connection_invalidated or isinstance(error, OperationalError)
        )

    def outage_or_error(error: BaseException | None) -> tuple[str, int]:
        try:
            db.session.rollback()
        except DBAPIError:
            db.session.remove()
        if not is_outage(error):
            return render_error(500)
        app.logger.warning("database unreachable: %s", error)
        # The page must not need the database: show it as to someone not signed in, and let the
        # pool reconnect on the next request.
        g._login_user = login_manager.anonymous_user()
        return render_error(503)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> tuple[str, int]:
        if not is_outage(error):
            app.logger.exception("database error")
        return outage_or_error(error)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        # A lost connection noticed outside a view (loading the signed-in user, a hook) is the
        # same outage as one noticed inside it.
        return outage_or_error(getattr(error, "original_exception", None))


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def mark_section() -> None:
        g.nav_section = nav_section_of(request.path)

    @app.before_request
    def refuse_nul_characters() -> None:
        """No database stores a NUL character in text (PostgreSQL refuses it, SQLite cuts the
        text short there): refuse it at the door rather than fail half-way."""
        values = [*request.args.values(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def security_headers(response: Any) -> Any:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config["ENV"] == "production":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if g.get("signed_link_page"):
            # Every page or download a personal link opens is that person's alone.
            response.headers["Cache-Control"] = "no-store"
        elif "_user_id" in session:
            # Pages with personal data must not be kept by shared browsers or proxies. The
            # session says whether someone signed in here; asking for current_user would load
            # the account on pages that never needed it (the health check, static files).
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _register_template_helpers(app: Flask) -> None:
    from cop import formatting
    from cop.viewhelpers import in_reader_language, visit_titles

    app.add_template_filter(formatting.language_name, "language_name")

    # The same functions on every page: given to Jinja once, not built into each render's
    # context.
    app.jinja_env.globals.update(
        language_name=formatting.language_name,
        country_name=formatting.country_name,
        format_day=formatting.format_day,
        format_day_range=formatting.format_day_range,
        format_moment=formatting.format_moment,
        format_count=formatting.format_count,
        format_decimal=formatting.format_measure,
        format_clock=formatting.format_clock,
        format_full_day=formatting.format_full_day,
        format_full_day_in=formatting.format_full_day_in,
        format_full_day_range=formatting.format_full_day_range,
        zone_city=formatting.zone_city,
        format_hours=formatting.format_hours,
        format_money=formatting.format_money,
        format_size=formatting.format_size,
        in_reader_language=in_reader_language,
    )

    @app.context_processor
    def helpers() -> dict[str, Any]:
        locale = get_locale() or Locale("en")
        if has_request_context():
            # Read whether or not the page names a visit, so that a page's queries do not
            # depend on what it happens to list; an error page (the database down, say)
            # is shown without them.
            try:
                visit_titles(locale.language)
            except SQLAlchemyError:
                db.session.rollback()
        return {
            "current_language": locale.language,
            "html_lang": str(locale).replace("_", "-"),
            "nav_section": g.get("nav_section"),
        }
