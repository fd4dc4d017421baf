"""Received mail from files: charsets, HTML-only mail, attachments, threading, malformed files."""

from __future__ import annotations

import io
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from cop.correspondence.mailfiles import (
    MailRefused,
    html_to_text,
    read_mail_file,
)
from cop.correspondence.models import Message, MessageAttachment, Thread
from cop.extensions import db
from cop.visits.models import MembershipRole
from tests.conftest import sign_in, visible_text


def mail(
    body: str, charset: str = "utf-8", subject: str = "Visite de décembre", **headers
) -> bytes:
    message = EmailMessage()
    message["From"] = "Claire Dubois <hote@paris.example>"
    message["To"] = "researcher@wws.example"
    message["Subject"] = subject
    message["Date"] = "Tue, 20 Sep 2016 15:30:00 +0200"
    message["Message-ID"] = headers.pop("message_id", "<m1@paris.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body, charset=charset)
    return bytes(message)


@pytest.mark.parametrize("charset", ["utf-8", "iso-8859-1", "windows-1252"])
def test_accents_survive_every_charset(charset) -> None:
    [received] = read_mail_file(mail("Réunion à l'Hôtel de Ville, merci beaucoup.", charset)).mails
    assert received.body == "Réunion à l'Hôtel de Ville, merci beaucoup."
    assert received.subject == "Visite de décembre"
    assert (received.sender_name, received.sender_email) == ("Claire Dubois", "hote@paris.example")
    assert received.sent_at.isoformat() == "2016-09-20T15:30:00+02:00"


def test_html_only_mail_becomes_safe_text() -> None:
    message = EmailMessage()
    message["From"] = "hote@paris.example"
    message["Subject"] = "Programme"
    message.set_content(
        "<html><head><style>p{}</style></head><body><p>Bonjour,</p><p>Voici le <b>programme</b>"
        "<script>alert(1)</script></p><ul><li>Réunion 1</li></ul></body></html>",
        subtype="html",
    )
    [received] = read_mail_file(bytes(message)).mails
    assert received.body == "Bonjour,\n\nVoici le programme\n\nRéunion 1"
    assert "alert" not in received.body and "<" not in received.body
    assert html_to_text("a<br>b") == "a\nb"


def test_attachments_are_kept() -> None:
    message = EmailMessage()
    message["From"] = "hote@paris.example"
    message["Subject"] = "Programme"
    message.set_content("Ci-joint le programme.")
    message.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename="programme.pdf"
    )
    [received] = read_mail_file(bytes(message)).mails
    assert [(a.filename, a.data) for a in received.attachments] == [("programme.pdf", b"%PDF-1.4")]


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"\x00\x01 binary junk", "not_mail"), (b"Hello there", "not_mail")],
)
def test_files_that_are_not_mail_are_refused(data, reason) -> None:
    with pytest.raises(MailRefused) as refused:
        read_mail_file(data)
    assert refused.value.reason == reason


def test_a_mailbox_yields_each_message() -> None:
    first = mail("Premier message.")
    second = mail(
        "Deuxième message.", message_id="<m2@paris.example>", In_Reply_To="<m1@paris.example>"
    )
    box = (
        b"From hote@paris.example Tue Sep 20 15:30:00 2016\n"
        + first
        + b"\nFrom hote@paris.example Wed Sep 21 10:00:00 2016\n"
        + second
        + b"\n"
    )
    received = read_mail_file(box).mails
    assert [m.body.strip() for m in received] == ["Premier message.", "Deuxième message."]
    assert received[1].in_reply_to == "<m1@paris.example>"
    with pytest.raises(MailRefused):
        read_mail_file(b"not a mailbox")


def upload(client, visit, data: bytes, name: str = "mail.eml"):
    return client.post(
        f"/visits/{visit.id}/correspondence/import",
        data={"mail": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_imported_mail_is_threaded_kept_once_and_shown(client, make) -> None:
    lead = make.user()
    visit = make.visit(languages="en,fr")
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    message = EmailMessage()
    message["From"] = "Claire Dubois <hote@paris.example>"
    message["Subject"] = "Visite de décembre"
    message["Message-ID"] = "<m1@paris.example>"
    message.set_content("Nous vous remercions pour la visite.")
    message.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="programme.pdf")
    assert upload(client, visit, bytes(message)).status_code == 302
    reply = mail(
        "Et pour la date du 8 décembre ?",
        subject="Re: Visite de décembre",
        message_id="<m2@paris.example>",
        In_Reply_To="<m1@paris.example>",
    )
    assert upload(client, visit, reply).status_code == 302
    assert upload(client, visit, reply).status_code == 302  # the same mail twice is kept once
    assert db.session.scalar(db.select(db.func.count(Thread.id))) == 1
    messages = db.session.scalars(db.select(Message).order_by(Message.id)).all()
    assert len(messages) == 2 and messages[0].language == "fr"
    [attachment] = db.session.scalars(db.select(MessageAttachment)).all()
    thread = messages[0].thread
    page = visible_text(
        client.get(f"/visits/{visit.id}/correspondence/{thread.id}").get_data(as_text=True)
    )
    assert "Nous vous remercions pour la visite." in page and "programme.pdf" in page
    download = client.get(f"/visits/{visit.id}/correspondence/attachments/{attachment.id}")
    assert download.get_data() == b"%PDF" and download.mimetype == "application/octet-stream"
    bad = upload(client, visit, b"Hello there")
    assert bad.status_code == 400
    assert "This is not a mail message that can be read." in bad.get_data(as_text=True)


def forwarded(inner: bytes, text: str | None = "Pour info, ci-dessous.") -> bytes:
    """A message that forwards another as an attachment (message/rfc822), as Outlook and
    Thunderbird do; with no text of its own when ``text`` is None."""
    outer = EmailMessage()
    outer["From"] = "Morag Campbell <lead@glasgow.example>"
    outer["Subject"] = "Fwd: Visite de décembre"
    outer["Date"] = "Wed, 21 Sep 2016 09:00:00 +0100"
    outer["Message-ID"] = "<fwd1@glasgow.example>"
    if text is not None:
        outer.set_content(text)
    else:
        outer.make_mixed()
    outer.add_attachment(message_from_bytes(inner, policy=policy.default))
    return bytes(outer)


def with_image(body: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Claire Dubois <hote@paris.example>"
    message["Subject"] = "Visite de décembre"
    message["Date"] = "Tue, 20 Sep 2016 15:30:00 +0200"
    message["Message-ID"] = "<m1@paris.example>"
    message.set_content(body)
    message.add_alternative(f"<p>{body}</p>", subtype="html")
    message.get_payload()[1].add_related(b"\x89PNG\r\n", maintype="image", subtype="png")
    return bytes(message)


def test_a_forward_comes_in_with_its_inner_text_and_nested_attachments() -> None:
    [received] = read_mail_file(forwarded(with_image("Le programme de la visite."))).mails

    assert received.body.startswith("Pour info, ci-dessous.\n\n---------- Forwarded message")
    assert "From: Claire Dubois <hote@paris.example>" in received.body
    assert received.body.endswith("Le programme de la visite.")
    [image] = received.attachments
    assert (image.content_type, image.data, image.filename) == (
        "image/png",
        b"\x89PNG\r\n",
        "part-1.png",
    )


def test_a_message_that_is_only_a_forward_is_not_refused() -> None:
    [received] = read_mail_file(forwarded(mail("Nous vous remercions."), text=None)).mails
    assert "Nous vous remercions." in received.body


def test_a_digest_keeps_each_message_as_a_quoted_block() -> None:
    digest = EmailMessage()
    digest["From"] = "liste@paris.example"
    digest["Subject"] = "Digest"
    digest.make_mixed()
    digest.set_type("multipart/digest")
    for number in (1, 2):
        part = EmailMessage()
        part.set_content(
            message_from_bytes(
                mail(f"Message {number}.", message_id=f"<d{number}@x>"), policy=policy.default
            )
        )
        digest.attach(part)
    [received] = read_mail_file(bytes(digest)).mails
    assert received.body.count("---------- Forwarded message") == 2
    assert "Message 1." in received.body and "Message 2." in received.body


def test_text_parts_after_the_first_are_shown_as_text() -> None:
    message = EmailMessage()
    message["From"] = "hote@paris.example"
    message["Subject"] = "Deux parties"
    message.set_content("Première partie.")
    message.add_attachment("Deuxième partie.", disposition="inline")
    [received] = read_mail_file(bytes(message)).mails
    assert received.body == "Première partie.\n\nDeuxième partie."
    assert received.attachments == []


def mailbox_of(*messages: bytes) -> bytes:
    return b"".join(
        b"From hote@paris.example Tue Sep 20 15:30:00 2016\n" + message + b"\n"
        for message in messages
    )


def test_one_unreadable_message_of_a_mailbox_is_listed_and_the_others_import() -> None:
    empty = b"From: hote@paris.example\nSubject: Vide\nMessage-ID: <e@x>\n\n"
    found = read_mail_file(
        mailbox_of(mail("Premier."), b"garbage without headers\n", empty, mail("Quatre."))
    )
    assert [m.body for m in found.mails] == ["Premier.", "Quatre."]
    assert found.left_out == [(2, "not_mail"), (3, "no_text")]


def test_the_same_rules_for_a_single_message_and_a_mailbox() -> None:
    empty = b"From: hote@paris.example\nSubject: Vide\nMessage-ID: <e@x>\n\n"
    with pytest.raises(MailRefused) as refused:
        read_mail_file(empty)
    assert refused.value.reason == "no_text"
    assert read_mail_file(mailbox_of(empty)).left_out == [(1, "no_text")]


def test_mail_without_message_id_or_date_is_kept_once_and_says_it_has_no_date(client, make) -> None:
    lead = make.user()
    visit = make.visit(languages="en,fr")
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    undated = b"From: Claire Dubois <hote@paris.example>\nSubject: Sans date\n\nBonjour."

    first = upload(client, visit, undated)
    again = upload(client, visit, mailbox_of(undated), "box.mbox")

    assert first.status_code == again.status_code == 302
    [message] = db.session.scalars(db.select(Message)).all()
    assert not message.date_given and message.content_hash
    page = visible_text(
        client.get(f"/visits/{visit.id}/correspondence/{message.thread_id}").get_data(as_text=True)
    )
    assert "no date given (imported" in page


def test_a_mailbox_with_a_bad_message_says_which_and_imports_the_rest(client, make) -> None:
    lead = make.user()
    visit = make.visit(languages="en,fr")
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)

    response = upload(client, visit, mailbox_of(mail("Premier."), b"junk\n"), "box.mbox")

    assert response.status_code == 302
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Message 2 of the mailbox was not imported: This is not a mail message" in page
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 1


HEADERS = (
    b"From: Claire Dubois <hote@paris.example>\nSubject: Programme\n"
    b"Date: Tue, 20 Sep 2016 15:30:00 +0200\nMessage-ID: <p@paris.example>\n"
)


@pytest.mark.parametrize(
    ("data", "body"),
    [
        pytest.param(
            HEADERS
            + b"Content-Type: text/plain; charset=unknown-8bit\n\nR\xe9union \xe0 l'H\xf4tel",
            "Réunion à l'Hôtel",
            id="an unknown charset label, Latin-1 bytes",
        ),
        pytest.param(
            HEADERS + b"Content-Type: text/plain\n\nR\xc3\xa9union \xc3\xa0 l'H\xc3\xb4tel",
            "Réunion à l'Hôtel",
            id="UTF-8 bytes with no charset declared",
        ),
        pytest.param(
            HEADERS + b"Content-Type: text/plain; charset=us-ascii\n\nR\xe9union",
            "Réunion",
            id="8-bit bytes declared ASCII",
        ),
        pytest.param(
            HEADERS
            + b'Content-Type: text/html\n\n<html><head><meta charset="iso-8859-1"></head>'
            + b"<body><p>R\xe9union</p></body></html>",
            "Réunion",
            id="HTML naming its charset inside",
        ),
        pytest.param(
            HEADERS + b"Content-Type: text/enriched\n\n<bold>Bonjour</bold> \xc3\xa0 tous",
            "Bonjour à tous",
            id="text/enriched",
        ),
        pytest.param(
            HEADERS + b"MIME-Version: 1.0\nContent-Type: multipart/mixed\n\nJuste du texte",
            "Juste du texte",
            id="a multipart without its boundary",
        ),
        pytest.param(
            HEADERS
            + b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n--B\n'
            + b"Content-Type: text/plain\n\nCorps du message\n",
            "Corps du message",
            id="a multipart cut before its last boundary",
        ),
    ],
)
def test_mail_from_real_programs_reads_as_written(data: bytes, body: str) -> None:
    [received] = read_mail_file(data).mails
    assert received.body == body


def test_raw_8bit_headers_are_read_in_their_charset() -> None:
    data = (
        b"From: Ren\xe9 Martin <rene@paris.example>\nSubject: R\xe9union =?utf-8?q?caf=C3=A9?=\n"
        b"Date: Tue, 20 Sep 2016 15:30:00 +0200\n\nBonjour"
    )
    [received] = read_mail_file(data).mails
    assert (received.sender_name, received.subject) == ("René Martin", "Réunion café")


def test_invitations_and_outlook_attachments_stay_attachments_with_their_type() -> None:
    data = (
        HEADERS + b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n'
        b"--B\nContent-Type: text/plain\n\nBonjour\n"
        b"--B\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\nEND:VCALENDAR\n"
        b"--B\nContent-Type: application/ms-tnef; name=winmail.dat\n"
        b"Content-Transfer-Encoding: base64\n\neJ8+IgAA\n--B--\n"
    )
    [received] = read_mail_file(data).mails
    assert received.body == "Bonjour"
    assert [(a.filename, a.content_type) for a in received.attachments] == [
        ("part-1.ics", "text/calendar"),
        ("winmail.dat", "application/ms-tnef"),
    ]
