"""The floor under cop's signed-in pages: cop itself (its settings, extensions, request hooks,
sign-in check and base template) with one more page that shows nothing but a paragraph to
whoever is signed in. benchmarks/throughput.py serves it beside the bare endpoint: no page cop
renders for a signed-in reader can be faster than this one (a page kept as rendered,
cop.stored_pages, is served without rendering, and can).

    gunicorn --workers 4 --threads 4 'benchmarks.floor_app:create_app()'
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_login import login_required

import cop


def create_app() -> Flask:
    app = cop.create_app()

    @app.get("/floor")
    @login_required
    def floor() -> str:
        return render_template("benchmark_floor.html")

    app.jinja_loader.searchpath.append(str(cop.PROJECT_ROOT / "benchmarks" / "templates"))
    return app
