"""Reading received mail from .eml and .mbox files: headers, the text (or HTML made into safe
text) in whatever charset it came, attachments, and the ids that thread replies together."""

from __future__ import annotations

import mailbox
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

MAX_BYTES = 20 * 1024 * 1024
MAX_MESSAGES = 500
# Mail nests parts in parts (a forward in a digest in a forward...). Real mail goes a few levels
# deep; a crafted file thousands deep would exhaust Python's recursion in the mail library.
MAX_DEPTH = 30


class MailRefused(ValueError):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ReceivedMail:
    subject: str
    sender_name: str
    sender_email: str
    sent_at: datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    body: str
    attachments: list[Attachment] = field(default_factory=list)


class _TextFromHtml(HTMLParser):
    """Visible text of an HTML mail: scripts and styles dropped, blocks on their own lines."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in {"script", "style", "head"}:
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"} and self.skip:
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _ids(value: str | None) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def nesting_depth(message: EmailMessage, limit: int = MAX_DEPTH) -> int:
    """How deep parts nest in a message, found without recursion; refused past ``limit``."""
    deepest, stack = 0, [(message, 0)]
    while stack:
        part, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            raise MailRefused("too_deep", str(limit))
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload)
    return deepest


def read_message(message: EmailMessage) -> ReceivedMail:
    if not message.keys():
        raise MailRefused("not_mail")
    nesting_depth(message)
    try:
        return _read_message(message)
    except RecursionError as error:
        raise MailRefused("too_deep", str(MAX_DEPTH)) from error


def _read_message(message: EmailMessage) -> ReceivedMail:
    body_part = message.get_body(preferencelist=("plain", "html"))
    if body_part is None:
        body = ""
    else:
        try:
            content = body_part.get_content()
        except (LookupError, UnicodeError, AssertionError):
            payload = body_part.get_payload(decode=True) or b""
            content = payload.decode("utf-8", errors="replace")
        body = html_to_text(content) if body_part.get_content_type() == "text/html" else content
    sender = getaddresses([str(message.get("From", ""))])
    name, address = sender[0] if sender else ("", "")
    try:
        sent_at = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
        if sent_at is not None and sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        sent_at = None
    attachments = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        attachments.append(
            Attachment(part.get_filename() or "attachment", part.get_content_type(), data)
        )
    message_ids = _ids(str(message.get("Message-ID", "")))
    return ReceivedMail(
        subject=str(message.get("Subject", "")).strip()[:300],
        sender_name=name.strip()[:200],
        sender_email=address.strip().lower(),
        sent_at=sent_at,
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=(_ids(str(message.get("In-Reply-To", ""))) or [None])[0],
        references=_ids(str(message.get("References", ""))),
        body=body.strip(),
        attachments=attachments,
    )


def read_eml(data: bytes) -> ReceivedMail:
    if len(data) > MAX_BYTES:
        raise MailRefused("too_large")
    if not data.strip():
        raise MailRefused("empty")
    try:
        message = message_from_bytes(data, policy=policy.default)
    except RecursionError as error:
        raise MailRefused("too_deep", str(MAX_DEPTH)) from error
    present = {name.lower() for name in message.keys()}  # noqa: SIM118 - a method, not a dict
    if not present & {"from", "subject", "date", "message-id"}:
        raise MailRefused("not_mail")
    mail = read_message(message)
    if not mail.body and not mail.attachments:
        raise MailRefused("no_text")
    return mail


def read_mbox(data: bytes) -> list[ReceivedMail]:
    if len(data) > MAX_BYTES:
        raise MailRefused("too_large")
    if not data.startswith(b"From "):
        raise MailRefused("not_mbox")
    handle, path = tempfile.mkstemp(suffix=".mbox")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        box = mailbox.mbox(
            path, factory=lambda f: message_from_bytes(f.read(), policy=policy.default)
        )
        mails = []
        for number, message in enumerate(box, start=1):
            if number > MAX_MESSAGES:
                raise MailRefused("too_many", str(MAX_MESSAGES))
            mails.append(read_message(message))
        box.close()
    finally:
        os.unlink(path)
    if not mails:
        raise MailRefused("empty")
    return mails
