"""Reading received mail from .eml and .mbox files: headers, the text (or HTML made into safe
text) in whatever charset it came, attachments, and the ids that thread replies together."""

from __future__ import annotations

import hashlib
import mailbox
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from bs4 import BeautifulSoup
from bs4.dammit import EncodingDetector

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

    @property
    def content_hash(self) -> str:
        """What the message is, for one without a Message-ID: the same mail imported twice
        (from two mailboxes, say) is recognised and kept once."""
        digest = hashlib.sha256()
        for part in (self.sender_email, self.subject, str(self.sent_at), self.body):
            digest.update(part.encode("utf-8", errors="replace") + b"\0")
        for attachment in self.attachments:
            digest.update(attachment.filename.encode() + b"\0" + attachment.data)
        return digest.hexdigest()


# Text parts shown as text; other text/* (a calendar invitation, a vCard) stay attachments.
TEXT_KINDS = ("text/plain", "text/html", "text/enriched", "text/markdown")
# Escaped bytes the mail library keeps of a header that was not ASCII (raw 8-bit headers).
ESCAPED_BYTES = re.compile("[\udc80-\udcff]")
# What the mail library's header parser raises on headers it cannot make sense of (some are
# its own bugs: a group address with nothing in it raises AttributeError).
UNPARSABLE_HEADER = (
    HeaderParseError,
    LookupError,
    UnicodeError,
    ValueError,
    IndexError,
    AttributeError,
    TypeError,
)


def decoded_bytes(data: bytes, declared: str | None, html: bool = False) -> str:
    """Bytes as text in the charset the mail declared when they are that; else (a wrong,
    missing or unknown label such as unknown-8bit) as UTF-8, then the charset an HTML part
    names inside (found by Beautiful Soup), then Windows-1252, the superset of Latin-1 that
    European mail programs without a label mostly wrote. Guessing from the bytes alone is
    left out on purpose: on a short French line it picks Central European charsets."""
    inner = EncodingDetector.find_declared_encoding(data, is_html=True) if html else None
    for charset in (declared, "utf-8", inner):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def header_text(message: EmailMessage, name: str) -> str:
    """A header as people read it: encoded words decoded, and raw 8-bit headers (which some
    mail programs still write) read in their charset instead of as replacement marks."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    text = raw
    if ESCAPED_BYTES.search(raw):
        text = decoded_bytes(raw.encode("ascii", "surrogateescape"), None)
    try:
        # The mail library's own header parser, on text that is text: encoded words are
        # decoded, beside raw ones too.
        return str(policy.default.header_factory(name.lower(), text)).strip()
    except UNPARSABLE_HEADER:
        return text.strip()  # what the library's parser trips over is kept as written


# Elements that stand on lines of their own in the text.
BLOCKS = ["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul"]


def html_to_text(html: str) -> str:
    """The visible text of an HTML mail, parsed by Beautiful Soup: scripts, styles and the
    head dropped, block elements on lines of their own, inline ones kept in their line."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "head", "title"]):
        hidden.decompose()
    for line_break in soup.find_all("br"):
        line_break.replace_with("\n")
    for block in soup.find_all(BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    text = re.sub(r"[ \t\r\f\v]+", " ", soup.get_text())
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
    """One message, whole: every text part in order (HTML made into text), each attached or
    forwarded message as a quoted block with its own headers, and attachments at any depth
    with their declared content type. Refused when it is not mail or holds nothing."""
    present = {name.lower() for name in message.keys()}  # noqa: SIM118 - a method, not a dict
    if not present & {"from", "subject", "date", "message-id"}:
        raise MailRefused("not_mail")
    nesting_depth(message)
    try:
        mail = _read_message(message)
    except RecursionError as error:
        raise MailRefused("too_deep", str(MAX_DEPTH)) from error
    if not mail.body and not mail.attachments:
        raise MailRefused("no_text")
    return mail


def _text_of(part: EmailMessage) -> str:
    html = part.get_content_type() in ("text/html", "text/enriched")
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        content = decoded_bytes(payload, part.get_content_charset(), html)
    else:
        content = str(part.get_payload())
    return html_to_text(content) if html else content.strip()


def _attachment_of(part: EmailMessage, number: int) -> Attachment:
    kind = part.get_content_type()
    name = part.get_filename()
    if not name:
        # An unnamed part (an inline image, say) keeps its type and gets a name that says it.
        name = f"part-{number}{mimetypes.guess_extension(kind) or '.bin'}"
    data = part.get_payload(decode=True)
    if data is None:
        data = part.as_bytes()
    return Attachment(name, kind, data)


def _forward_header(message: EmailMessage) -> str:
    lines = ["---------- Forwarded message ----------"]
    for name in ("From", "Date", "Subject", "To"):
        if value := header_text(message, name):
            lines.append(f"{name}: {value}")
    return "\n".join(lines)


def _collect(
    part: EmailMessage, texts: list[str], attachments: list[Attachment], with_text: bool = True
) -> None:
    """Walk the parts (their depth is checked before): texts in order, attachments at any
    depth. ``with_text`` False takes only the attachments (of an alternative not read)."""
    kind = part.get_content_type()
    if kind == "message/rfc822":
        for inner in part.get_payload():
            if with_text and inner.keys():
                texts.append(_forward_header(inner))
            _collect(inner, texts, attachments, with_text)
        return
    if part.get_content_maintype() == "multipart" and not part.is_multipart():
        kind = "text/plain"  # a multipart without a boundary: what it holds is its text
    if part.is_multipart():
        children = list(part.iter_parts())
        if kind == "multipart/alternative":
            # The same text in several forms: the plain one is read, else the richest; the
            # images the other forms carry (an HTML part's inline pictures) are kept too.
            plain = [c for c in children if c.get_content_type() == "text/plain"]
            chosen = (plain or children[-1:] or [None])[0]
            for child in children:
                _collect(child, texts, attachments, with_text and child is chosen)
            return
        for child in children:
            _collect(child, texts, attachments, with_text)
        return
    disposition = part.get_content_disposition()
    if kind in TEXT_KINDS and disposition != "attachment":
        text = _text_of(part) if with_text else ""
        if text:
            texts.append(text)
        return
    attachments.append(_attachment_of(part, len(attachments) + 1))


def _read_message(message: EmailMessage) -> ReceivedMail:
    texts: list[str] = []
    attachments: list[Attachment] = []
    _collect(message, texts, attachments)
    body = "\n\n".join(texts)
    sender = getaddresses([header_text(message, "From")])
    name, address = sender[0] if sender else ("", "")
    try:
        date_given = header_text(message, "Date")
        sent_at = parsedate_to_datetime(date_given) if date_given else None
        if sent_at is not None and sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        sent_at = None
    message_ids = _ids(header_text(message, "Message-ID"))
    subject = header_text(message, "Subject")[:300]
    return ReceivedMail(
        subject=subject,
        sender_name=name.strip()[:200],
        sender_email=address.strip().lower(),
        sent_at=sent_at,
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=(_ids(header_text(message, "In-Reply-To")) or [None])[0],
        references=_ids(header_text(message, "References")),
        body=body.strip(),
        attachments=attachments,
    )


@dataclass
class MailFile:
    """What a mail file holds: the messages read, and those of a mailbox that could not be
    read, by their number in it and the reason."""

    mails: list[ReceivedMail]
    left_out: list[tuple[int, str]] = field(default_factory=list)


def read_mail_file(data: bytes) -> MailFile:
    """A single message (.eml) or a mailbox (.mbox), read by the same rules: a mailbox's
    unreadable or empty messages are left out and listed, the others import; a single
    message that cannot be read is refused."""
    if len(data) > MAX_BYTES:
        raise MailRefused("too_large")
    if not data.strip():
        raise MailRefused("empty")
    if not data.startswith(b"From "):
        try:
            message = message_from_bytes(data, policy=policy.default)
        except RecursionError as error:
            raise MailRefused("too_deep", str(MAX_DEPTH)) from error
        return MailFile([read_message(message)])
    found = MailFile([])
    for number, message in enumerate(_mailbox_messages(data), start=1):
        if number > MAX_MESSAGES:
            raise MailRefused("too_many", str(MAX_MESSAGES))
        try:
            if isinstance(message, MailRefused):
                raise message
            found.mails.append(read_message(message))
        except MailRefused as refusal:
            found.left_out.append((number, refusal.reason))
    if not found.mails and not found.left_out:
        raise MailRefused("empty")
    return found


def _mailbox_messages(data: bytes) -> Iterator[EmailMessage | MailRefused]:
    """Each message of the mailbox, or why the mail library could not even parse it."""
    handle, path = tempfile.mkstemp(suffix=".mbox")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        box = mailbox.mbox(path, factory=None)
        try:
            for key in box.iterkeys():
                raw = box.get_bytes(key)
                try:
                    yield message_from_bytes(raw, policy=policy.default)
                except RecursionError:
                    yield MailRefused("too_deep", str(MAX_DEPTH))
        finally:
            box.close()
    finally:
        os.unlink(path)
