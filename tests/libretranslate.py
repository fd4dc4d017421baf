"""A small local server speaking the LibreTranslate API, for deep-translator's real code path.

It "translates" English and French with a tiny dictionary (unknown words are marked), keeps
placeholders like [G0] as real servers do, counts calls, and can be told to fail in every way a
provider fails: 500, 403, 429, hang, an empty or a garbage answer, or a refused connection."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.mailserver import free_port

WORDS = {
    ("fr", "en"): {
        "bonjour": "hello",
        "merci": "thank you",
        "réunion": "meeting",
        "avec": "with",
        "le": "the",
        "la": "the",
        "équipe": "team",
        "du": "of the",
        "de": "of",
        "visite": "visit",
        "décembre": "December",
    },
    ("en", "fr"): {
        "hello": "bonjour",
        "thank": "merci",
        "you": "",
        "meeting": "réunion",
        "with": "avec",
        "the": "le",
        "team": "équipe",
        "visit": "visite",
        "our": "notre",
        "december": "décembre",
    },
}


def fake_translate(text: str, source: str, target: str) -> str:
    words = WORDS.get((source, target), {})
    out = []
    for token in text.split(" "):
        bare = token.strip(".,;:!?").lower()
        if token.startswith("[G") or not bare:
            out.append(token)
        elif bare in words:
            out.append(token.lower().replace(bare, words[bare]) if words[bare] else "")
        else:
            out.append(token)
    return f"({target}) " + " ".join(part for part in out if part)


class LibreTranslateServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mode = "ok"
        self.calls: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    query.update(
                        {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                    )
                server.calls.append(query)
                mode = server.mode
                if mode == "hang":
                    time.sleep(3)
                status, body = (
                    200,
                    json.dumps(
                        {
                            "translatedText": fake_translate(
                                query.get("q", ""), query.get("source"), query.get("target")
                            )
                        }
                    ),
                )
                if mode in ("500", "403", "429"):
                    status, body = int(mode), json.dumps({"error": "no"})
                elif mode == "empty":
                    body = "{}"
                elif mode == "garbage":
                    body = "<html>Bad gateway</html>"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body.encode())))
                self.end_headers()
                self.wfile.write(body.encode())

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> LibreTranslateServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
