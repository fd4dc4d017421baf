"""Small helpers every blueprint's views share."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from sqlalchemy import Select

from cop.extensions import db


def paginate(query: Select) -> Pagination:
    """One page of a list, the page number taken from ``?page=``; a page past the end is empty."""
    return db.paginate(
        query,
        page=request.args.get("page", 1, type=int) or 1,
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


def form_status(form: FlaskForm) -> int:
    """400 for a form sent back with errors, so that bad input is never answered as a success."""
    return 400 if form.errors else 200


def search_text() -> str:
    return request.args.get("q", "")
