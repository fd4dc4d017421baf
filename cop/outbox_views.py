"""What the workers have not done yet, for administrators: mail not sent (with the mail
server's answer and when it is tried next) and translations waiting on the provider."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from cop.correspondence.models import MessageTranslation
from cop.correspondence.views import reason_text
from cop.database import utcnow
from cop.extensions import db
from cop.mail import OutboxMail, OutboxStatus
from cop.translation.models import ContentTranslation, TranslationStatus
from cop.viewhelpers import paginate

blueprint = Blueprint("outbox", __name__)


@blueprint.route("/admin/outbox")
@login_required
def waiting() -> str:
    if not current_user.is_admin:
        abort(403)
    unsent = select(OutboxMail).where(
        OutboxMail.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED))
    )
    since = utcnow() - timedelta(days=1)
    sent_today = db.session.scalar(
        select(func.count(OutboxMail.id)).where(OutboxMail.sent_at >= since)
    )
    reasons: Counter[str] = Counter()
    for model in (MessageTranslation, ContentTranslation):
        reasons.update(
            dict(
                db.session.execute(
                    select(model.failure_reason, func.count(model.id))
                    .where(model.status == TranslationStatus.PENDING)
                    .group_by(model.failure_reason)
                ).all()
            )
        )
    return render_template(
        "outbox/waiting.html",
        page=paginate(unsent.order_by(OutboxMail.id)),
        sent_today=sent_today or 0,
        translations=sorted(reasons.items()),
        reason_text=reason_text,
        now=utcnow(),
    )
