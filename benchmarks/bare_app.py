"""The yardstick of benchmarks/throughput.py: a bare Flask endpoint doing one SELECT on the same
database, served by the same gunicorn settings as cop.

    gunicorn --workers 4 --threads 4 'benchmarks.bare_app:create_app()'
"""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import create_engine, text


def create_app() -> Flask:
    app = Flask(__name__)
    engine = create_engine(os.environ["COP_DATABASE_URL"], pool_pre_ping=True)
    query = text("SELECT id, name FROM person ORDER BY id LIMIT 1")

    @app.get("/")
    def one_select() -> str:
        with engine.connect() as connection:
            row = connection.execute(query).one()
        return f"<!doctype html><title>bare</title><p>{row.id} {row.name}</p>"

    return app
