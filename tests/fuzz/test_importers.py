"""Hostile input for every importer: whatever bytes arrive, each one returns what it read or
refuses with its own error, and never fails any other way."""

from __future__ import annotations

import contextlib
from datetime import date
from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.calendars.ics_import import CalendarRefused, parse_agenda
from cop.correspondence.mailfiles import MailRefused, read_mail_file
from cop.network.importing import read_contacts
from cop.reflections.transcripts import TranscriptError, parse_transcript
from cop.translation.views import read_terms

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Text that looks a little like each format, so the fuzzer reaches past the first check.
ics_lines = st.lists(
    st.sampled_from(
        [
            "BEGIN:VCALENDAR",
            "END:VCALENDAR",
            "BEGIN:VEVENT",
            "END:VEVENT",
            "DTSTART:20161208T093000Z",
            "DTSTART;TZID=Europe/Paris:20161208T093000",
            "DTSTART;TZID=Nowhere/Else:20161208T093000",
            "DTEND:20161208T080000Z",
            "DTSTART;VALUE=DATE:20161208",
            "DTEND;VALUE=DATE:20161210",
            "DTEND;VALUE=DATE:20161207",
            "DURATION:P2D",
            "SUMMARY:Réunion",
            "UID:x@example",
            "RRULE:FREQ=DAILY;COUNT=3",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20161231T000000Z",
            "RRULE:FREQ=NEVER",
            "RDATE:20161209T150000Z",
            "EXDATE:20161209T093000Z",
            "RECURRENCE-ID:20161209T093000Z",
            "RECURRENCE-ID;TZID=Europe/Paris:20161209T093000",
            "DURATION:PT1H",
            "DURATION:soon",
            "SEQUENCE:2",
            "DTSTART:garbage",
        ]
    )
    | st.text(max_size=40),
    max_size=20,
)
csv_text = st.lists(
    st.sampled_from(
        [
            "from_email,to_email,date,channel,topic",
            "a@example.org,b@example.org,2017-03-06,email,PB",
            "a@example.org,a@example.org,2017-03-06,,",
            "nobody,b@example.org,06/03/2017,pigeon,x",
            '"unterminated,quote',
        ]
    )
    | st.text(max_size=60),
    max_size=15,
).map("\n".join)
subtitle_text = st.lists(
    st.sampled_from(
        [
            "WEBVTT",
            "",
            "1",
            "00:00:01.000 --> 00:00:02.000",
            "00:00:01,000 --> 00:00:02,000",
            "00:00:02.000 --> 00:00:01.000",
            "<v Moira>Hello</v>",
            "MOIRA: words",
            "[00:01:02] Name: text",
            "Name  0:03",
            "NOTE comment",
        ]
    )
    | st.text(max_size=50),
    max_size=20,
).map("\n".join)


@FUZZ
@given(ics_lines, st.sampled_from(["Europe/Paris", "Europe/London", "UTC"]))
def test_calendar_files(lines: list[str], zone: str) -> None:
    try:
        agenda = parse_agenda(
            "\r\n".join(lines).encode("utf-8"), zone, (date(2016, 12, 1), date(2016, 12, 31))
        )
    except CalendarRefused:
        return
    assert isinstance(agenda.events, list) and isinstance(agenda.left_out, list)
    assert all(left.event and left.event != "None" for left in agenda.left_out)
    assert all(event.ends_at >= event.starts_at for event in agenda.events)
    assert all(event.ends_at > event.starts_at for event in agenda.events if event.all_day)


@FUZZ
@given(st.binary(max_size=2000))
def test_calendar_files_as_raw_bytes(data: bytes) -> None:
    with contextlib.suppress(CalendarRefused):
        parse_agenda(data, "Europe/Paris")


@FUZZ
@given(csv_text, st.booleans())
def test_contact_csv(text: str, create: bool) -> None:
    rows, problems = read_contacts(
        text, {"a@example.org", "b@example.org"}, create, date(2100, 1, 1)
    )
    assert isinstance(rows, list) and isinstance(problems, list)


@FUZZ
@given(st.binary(max_size=3000))
def test_eml_and_mbox(data: bytes) -> None:
    for as_read in (data, b"From x\n" + data):  # as a message, and as a mailbox
        with contextlib.suppress(MailRefused):
            read_mail_file(as_read)


@FUZZ
@given(
    st.builds(
        lambda head, body: head + body,
        st.sampled_from([b"", b"From: a@example.org\nSubject: x\n\n", b"From x\n"]),
        st.binary(max_size=500),
    )
)
def test_mail_that_looks_like_mail(data: bytes) -> None:
    for as_read in (data, b"From x\n" + data):
        with contextlib.suppress(MailRefused):
            read_mail_file(as_read)


header_bytes = st.binary(max_size=60).map(lambda raw: raw.replace(b"\n", b" ").replace(b"\r", b" "))


@FUZZ
@given(
    header_bytes, header_bytes, st.sampled_from([b"", b"; charset=unknown-8bit", b"; charset=x"])
)
def test_raw_8bit_headers_and_charsets_read_as_text(sender, subject, charset) -> None:
    data = (
        b"From: "
        + sender
        + b"\nSubject: "
        + subject
        + b"\nContent-Type: text/plain"
        + charset
        + b"\n\nR\xe9union \xc3\xa0 Paris"
    )
    try:
        [received] = read_mail_file(data).mails
    except MailRefused:
        return
    for text in (received.sender_name, received.subject, received.body):
        assert not any("\udc80" <= character <= "\udcff" for character in text)


# MIME trees of any shape: text, HTML, images, forwarded messages and digests inside one
# another, as mail programs nest them.
def _leaf(kind: str, text: str) -> EmailMessage:
    part = EmailMessage()
    if kind == "html":
        part.set_content(f"<p>{text}</p>", subtype="html")
    elif kind == "image":
        part.set_content(text.encode(), maintype="image", subtype="png")
    else:
        part.set_content(text)
    return part


def _node(children: list[EmailMessage], kind: str) -> EmailMessage:
    part = EmailMessage()
    if kind == "rfc822" and children:
        inner = children[0]
        inner["From"] = "inner@example.org"
        inner["Subject"] = "Inner"
        part.set_content(inner)
        return part
    part.set_type(f"multipart/{kind if kind != 'rfc822' else 'mixed'}")
    for child in children:
        part.attach(child)
    return part


mime_trees = st.recursive(
    st.builds(_leaf, st.sampled_from(["plain", "html", "image"]), st.text(max_size=30)),
    lambda inside: st.builds(
        _node,
        st.lists(inside, max_size=3),
        st.sampled_from(["mixed", "alternative", "related", "digest", "rfc822"]),
    ),
    max_leaves=8,
)


@FUZZ
@given(mime_trees)
def test_nested_mime_never_loses_a_text_or_an_image(tree: EmailMessage) -> None:
    tree["From"] = "a@example.org"
    tree["Subject"] = "x"
    try:
        mail = read_mail_file(bytes(tree))
    except MailRefused as refused:
        assert refused.reason in {"no_text", "not_mail", "too_deep"}
        return
    [received] = mail.mails
    images = sum(1 for part in tree.walk() if part.get_content_type() == "image/png")
    assert len([a for a in received.attachments if a.content_type == "image/png"]) == images


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                b"From: a@example.org\nSubject: x\nMessage-ID: <1@x>\n\nHello.\n",
                b"From: a@example.org\nSubject: empty\n\n",
                b"garbage\n",
                b"Subject: only\n\nText.\n",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_mailbox_reads_every_member_or_says_which_it_left_out(members: list[bytes]) -> None:
    box = b"".join(b"From a@example.org Tue Sep 20 15:30:00 2016\n" + m + b"\n" for m in members)
    try:
        found = read_mail_file(box)
    except MailRefused:
        return
    numbers = [number for number, _reason in found.left_out]
    assert len(found.mails) + len(numbers) == len(members)
    assert numbers == sorted(numbers) and all(1 <= n <= len(members) for n in numbers)


@FUZZ
@given(subtitle_text, st.sampled_from(["x.vtt", "x.srt", "x.txt", ""]))
def test_transcripts(text: str, filename: str) -> None:
    try:
        turns = parse_transcript(text, filename)
    except TranscriptError:
        return
    assert all(turn.text for turn in turns)


@FUZZ
@given(
    text=csv_text.map(
        lambda text: text.replace("from_email,to_email", "language_a,term_a,language_b,term_b")
    )
)
def test_glossary_csv(text: str, app) -> None:
    with app.test_request_context():
        rows, problems = read_terms(text, {"", "all"})
    assert isinstance(rows, list) and isinstance(problems, list)
