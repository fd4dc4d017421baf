"""The exchange-rate table administrators keep: what it holds, and importing the European
Central Bank's published reference rates into it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response

from cop import access
from cop.extensions import db
from cop.planning import rates
from cop.planning.forms import RateImportForm
from cop.stored_pages import stored_page
from cop.viewhelpers import form_status

blueprint = Blueprint("rates", __name__)

# The bank's full history is about 1.6 MB, zipped about 0.6 MB.
MAX_BYTES = 5 * 1024 * 1024
REFUSALS = {
    "not-text": _l("This file is not a CSV file. Choose the bank’s eurofxref CSV or its zip."),
    "no-csv-in-zip": _l("This zip holds no CSV file."),
    "too-large": _l("This file is larger than any reference-rate table; choose another."),
    "no-date-column": _l(
        "This file is not a reference-rate table: its first column must be “Date”, then one "
        "column per currency."
    ),
    "no-rates": _l("This file holds no rate that could be read."),
}
UNREADABLE_SHOWN = 10


@blueprint.route("/admin/rates", methods=["GET", "POST"])
@stored_page
@access.admin_required
def exchange_rates() -> str | Response | tuple[str, int]:
    form = RateImportForm()
    if form.validate_on_submit():
        content = form.rates.data.stream.read(MAX_BYTES + 1)
        try:
            if len(content) > MAX_BYTES:
                raise rates.RateFileError("too-large")
            imported = rates.import_reference_file(db.session, content)
        except rates.RateFileError as refusal:
            form.rates.errors = [str(REFUSALS[str(refusal)])]
        else:
            db.session.commit()
            flash(_imported_message(imported), "success")
            if imported.unreadable:
                flash(
                    ngettext(
                        "%(num)s value could not be read and was left out: %(values)s",
                        "%(num)s values could not be read and were left out: %(values)s",
                        len(imported.unreadable),
                        values="; ".join(imported.unreadable[:UNREADABLE_SHOWN]),
                    ),
                    "warning",
                )
            return redirect(url_for("rates.exchange_rates"))
    return render_template(
        "planning/rates.html", form=form, summary=rates.summary(db.session)
    ), form_status(form)


def _imported_message(imported: rates.Imported) -> str:
    parts = [
        ngettext("%(num)s rate added", "%(num)s rates added", imported.added),
        ngettext("%(num)s corrected", "%(num)s corrected", imported.changed),
    ]
    if imported.given:
        parts.append(
            ngettext(
                "%(num)s cost that was waiting for a rate now has one",
                "%(num)s costs that were waiting for a rate now have one",
                imported.given,
            )
        )
    return _("Rates imported: %(parts)s.", parts="; ".join(parts))
