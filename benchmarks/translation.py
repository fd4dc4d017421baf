"""Translating a 40-paragraph thread: provider calls the first time and the second.

    .venv/bin/python benchmarks/translation.py

Runs deep-translator's LibreTranslator against the local LibreTranslate stand-in the tests use
(no network), in a fresh SQLite database, and prints the provider calls and time for a first
translation and for the same thread again (answered from the translation memory)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from cop import PROJECT_ROOT, create_app
from cop.extensions import db
from cop.translation.providers import ProviderSettings
from cop.translation.seed import seed_glossary
from cop.translation.service import translate
from tests.libretranslate import LibreTranslateServer

PARAGRAPH = (
    "Bonjour, merci pour la visite de décembre. La réunion avec le conseil de quartier et la "
    "mairie d'arrondissement aura lieu le matin; paragraphe {n}."
)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="cop-tr-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'tr.sqlite'}",
            "INSTANCE_PATH": str(folder),
        }
    )
    thread = "\n\n".join(PARAGRAPH.format(n=n) for n in range(1, 41))
    with app.app_context(), LibreTranslateServer() as server:
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        seed_glossary(db.session)
        db.session.commit()
        settings = ProviderSettings(name="libretranslate", url=server.url, timeout=10)
        for attempt in ("first", "second"):
            started = time.perf_counter()
            result = translate(db.session, thread, "fr", "en", settings)
            db.session.commit()
            elapsed = time.perf_counter() - started
            print(
                f"{attempt:>6} translation: {result.provider_calls:3d} provider calls, "
                f"{result.from_memory:3d} from memory, {elapsed * 1000:7.1f} ms, "
                f"{len(result.notes)} glossary notes"
            )
        print(f"requests the server received: {len(server.calls)}")


if __name__ == "__main__":
    main()
