"""Running cop as a service: the health check a load balancer asks, and structured logs."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, g, redirect, request, url_for
from sqlalchemy import text

from cop.extensions import db, limiter

blueprint = Blueprint("serving", __name__)


@blueprint.route("/favicon.ico")
@limiter.exempt
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says; send them to cop's icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@blueprint.route("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """200 when the application can reach its database, 503 when it cannot."""
    try:
        db.session.execute(text("SELECT 1"))
        return Response(
            json.dumps({"status": "ok", "database": "ok"}), mimetype="application/json"
        ), 200
    except Exception as error:  # noqa: BLE001 - any failure to reach the database is "down"
        db.session.rollback()
        logging.getLogger("cop.health").error("database unreachable: %s", error)
        body = {"status": "unavailable", "database": type(error).__name__}
        return Response(json.dumps(body), mimetype="application/json"), 503


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("method", "path", "status", "duration_ms", "user"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask, log_format: str) -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("cop")
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    app.logger.handlers = [handler]
    if log_format != "json":
        return  # the development server already prints each request

    requests = logging.getLogger("cop.requests")

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None and request.endpoint != "static":
            requests.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
