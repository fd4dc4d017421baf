"""The task queue (Huey): requests hand mail to it and answer at once; workers send.

The outbox table stays the record: a task carries only a mail's id, and the periodic sweep
finds again from the table whatever a lost task, a worker that died, or a failure left unsent
(each failure waits longer, cop.retrying.backoff). Periodic work (the sweep, translation
retries, closing polls, reminders, retention) is scheduled by Huey's own scheduler.

Where tasks wait (COP_QUEUE_URL):
- ``sqlite:///path`` (the default: ``instance/queue.sqlite``) needs no server: ``cop start``
  runs a worker beside the web server, on the same machine;
- ``redis://host:port/db`` for production, with ``cop worker`` on as many machines as wanted;
- ``immediate`` runs each task at once, inside the request (the tests' default; no worker).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from huey.exceptions import TaskLockedException
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("cop.queue")

EXTENSION = "cop.queue"
IMMEDIATE = "immediate"
# How long a stopping worker waits for the tasks at hand.
SHUTDOWN_SECONDS = 60


@dataclass
class Queue:
    huey: Huey
    send_mail: TaskWrapper
    translate_message: TaskWrapper
    translate_content: TaskWrapper
    translate_draft: TaskWrapper
    refresh_stored: TaskWrapper

    @property
    def immediate(self) -> bool:
        return bool(self.huey.immediate)


def queue_url(app: Flask) -> str:
    url = app.config.get("QUEUE_URL") or ""
    if url:
        return url
    if app.config.get("TESTING"):
        return IMMEDIATE
    return "sqlite:///" + os.path.join(app.instance_path, "queue.sqlite")


def make_huey(url: str) -> Huey:
    if url == IMMEDIATE:
        return Huey("cop", immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("cop", url=url, results=False)
    if url.startswith("sqlite:///"):
        return SqliteHuey("cop", filename=url.removeprefix("sqlite:///"), results=False)
    raise ValueError(
        f"COP_QUEUE_URL {url!r} is not sqlite:///<file>, redis://<host>:<port>/<db> or immediate"
    )


def init_app(app: Flask) -> Queue:
    """Give the app its queue and the tasks workers run (each in the app's context)."""
    huey = make_huey(queue_url(app))

    def in_app(job: Any) -> Any:
        def run(*args: Any) -> Any:
            with app.app_context():
                return job(*args)

        run.__name__ = job.__name__
        return run

    from cop import jobs
    from cop.mail import deliver

    def send_mail(mail_id: int) -> dict[str, int]:
        return deliver([mail_id])

    queue = Queue(
        huey=huey,
        send_mail=huey.task(name="send_mail")(in_app(send_mail)),
        translate_message=huey.task(name="translate_message")(in_app(jobs.translate_message)),
        translate_content=huey.task(name="translate_content")(in_app(jobs.translate_content)),
        translate_draft=huey.task(name="translate_draft")(in_app(jobs.translate_draft)),
        refresh_stored=huey.task(name="refresh_stored")(in_app(_one_at_a_time(huey))),
    )
    every_minute = crontab(minute="*")
    schedule = {
        "send-mail": every_minute,
        "translate-pending": every_minute,
        "refresh-stored": every_minute,
        "close-polls": every_minute,
        "poll-reminders": every_minute,
        "itinerary-changes": every_minute,
        "remind": crontab(minute="*/15"),
        "retention": crontab(minute="17", hour="3"),
        "sessions": crontab(minute="27", hour="3"),
        "stored-results": crontab(minute="37", hour="3"),
    }
    for name, when in schedule.items():
        huey.periodic_task(when, name=name)(in_app(_logged(name, jobs.JOBS[name])))
    app.extensions[EXTENSION] = queue
    return queue


def translate_soon(
    message_translations: Iterable[int] = (),
    content_rows: Sequence[int] = (),
    drafts: Iterable[int] = (),
) -> None:
    """Hand translations to the workers (their rows are committed, waiting, with a lease so
    the retry sweep leaves them to the task); a queue that cannot be reached loses nothing:
    the sweep takes them when the lease ends."""
    queue: Queue = current_app.extensions[EXTENSION]
    try:
        for translation_id in message_translations:
            queue.translate_message(translation_id)
        if content_rows:
            queue.translate_content(list(content_rows))
        for draft_id in drafts:
            queue.translate_draft(draft_id)
    except Exception:  # noqa: BLE001 - Redis down, say: the rows still wait in the database
        log.exception("translations could not be queued; the retry sweep will take them")


def _one_at_a_time(huey: Huey) -> Any:
    """The refresh of stored results, run by one worker at a time: a change that arrives while
    it runs is taken by the next one (after the next change, or the minute's round)."""
    from cop import jobs

    def refresh_stored() -> dict[str, int] | None:
        try:
            with huey.lock_task("refresh-stored"):
                return jobs.refresh_stored()
        except TaskLockedException:
            return None

    return refresh_stored


@event.listens_for(Session, "after_commit")
def _refresh_after_commit(session: Session) -> None:
    """A commit that changed data some stored result shows (cop.computed) hands their refresh
    to the workers."""
    from cop.computed.changes import COMMITTED_KEY

    changed = session.info.pop(COMMITTED_KEY, None)
    if not changed or not has_app_context() or EXTENSION not in current_app.extensions:
        return
    if current_app.extensions[EXTENSION].immediate:
        return  # no worker: a page that finds its result stale computes it itself
    refresh_stored_soon()


def queue_is_immediate() -> bool:
    return current_app.extensions[EXTENSION].immediate


def refresh_stored_soon() -> None:
    queue: Queue = current_app.extensions[EXTENSION]
    if queue.immediate:
        return
    try:
        queue.refresh_stored()
    except Exception:  # noqa: BLE001 - Redis down, say: the minute's round does it
        log.exception("the refresh of stored results could not be queued; the next round does it")


def _logged(name: str, job: Any) -> Any:
    def run() -> dict[str, int]:
        result = job()
        log.info("job %s", name, extra={"results": result})
        return result

    run.__name__ = name.replace("-", "_")
    return run


def send_soon(mail_ids: Iterable[int]) -> None:
    """Hand mail to the workers, one task per mail so that several go out at once. A queue
    that cannot be reached loses nothing: the sweep finds the mail in the outbox."""
    queue: Queue = current_app.extensions[EXTENSION]
    for mail_id in mail_ids:
        try:
            queue.send_mail(mail_id)
        except Exception:  # noqa: BLE001 - Redis down, say: the outbox still holds the mail
            log.exception("mail %s could not be queued; the sweep will send it", mail_id)


class QueueRefused(RuntimeError):
    pass


def run_worker(app: Flask, threads: int) -> None:
    """Run tasks and the schedule until stopped: SIGTERM (what service managers and
    ``cop start`` send) lets the tasks at hand finish first, so a mail being sent is marked
    sent and not sent again after its lease; Ctrl+C stops at once."""
    queue: Queue = app.extensions[EXTENSION]
    if queue.immediate:
        raise QueueRefused(
            "COP_QUEUE_URL is 'immediate': tasks run inside requests, there is no queue to work."
        )
    consumer = queue.huey.create_consumer(
        workers=threads,
        worker_type="thread",
        periodic=True,
        # SQLite is polled: look again within a second, so mail leaves promptly.
        max_delay=1.0,
        graceful_signal="TERM",
        # Past any mail server's or translator's timeout: a task that hangs longer is cut.
        shutdown_timeout=SHUTDOWN_SECONDS,
    )
    log.info("worker started on %s with %s threads", queue_url(app), threads)
    consumer.run()


def start_worker_process(app: Flask, database_url: str) -> subprocess.Popen | None:
    """``cop start``'s worker: ``cop worker`` in a process of its own beside the web server, on
    the same database and queue, its mailed links pointing at the same address."""
    if app.extensions[EXTENSION].immediate:
        return None
    environment = {
        **os.environ,
        "COP_DATABASE_URL": database_url,
        "COP_QUEUE_URL": queue_url(app),
        "COP_INSTANCE_PATH": app.instance_path,
        "COP_BASE_URL": app.config["BASE_URL"],
    }
    return subprocess.Popen([sys.executable, "-m", "cop", "worker"], env=environment)  # noqa: S603


def stop_worker_process(worker: subprocess.Popen | None) -> None:
    if worker is None:
        return
    worker.terminate()  # SIGTERM: the worker finishes the tasks at hand, then stops
    try:
        worker.wait(timeout=SHUTDOWN_SECONDS + 5)
    except subprocess.TimeoutExpired:
        worker.kill()
