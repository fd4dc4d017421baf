"""Interview transcripts from WebVTT, SubRip (SRT) or plain text, as speaker turns with their time
in the recording (no Flask here).

Subtitle tools cut speech into short cues; a researcher codes turns, so consecutive cues of the same
named speaker are joined into one turn that starts with the first cue and ends with the last.
Cues without a speaker stay as they are."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedFileError

MAX_TURNS = 5000


@dataclass
class Turn:
    speaker: str
    text: str
    starts_ms: int | None = None
    ends_ms: int | None = None


class TranscriptError(ValueError):
    """The file cannot be read as a transcript; ``reason`` says why in a word."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# "MOIRA: text", "Moira Campbell: text", ">> Moira: text", "- Moira: text", "[Moira] text",
# "(Interviewer) text". A speaker is a short name: no sentence ends with a colon after 6 words.
SPEAKER_PREFIX = re.compile(
    r"^\s*(?:>>\s*|-\s*)?(?:\[(?P<bracketed>[^\]]{1,60})\]|\((?P<parenthesised>[^)]{1,60})\)"
    r"|(?P<plain>[^\s:.!?][^:.!?]{0,59}?)\s*:)\s*(?P<rest>.*)$",
    re.S,
)
NAME_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "da", "di", "mac", "of"}
# Formatting that subtitle tools leave in cue text: <i>, <b>, <font ...>, {\an8}.
MARKUP = re.compile(r"<[^>]{1,200}>|\{\\[^}]{1,40}\}")
# "[00:01:02] text", "00:01:02 text", "(1:02) text", "01:02.5 - text"
PLAIN_TIMESTAMP = re.compile(
    r"^\s*[\[(]?(?P<stamp>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)[\])]?\s*(?:[-–]\s*)?(?P<rest>.*)$"
)


# Otter.ai and similar tools: a line "Moira Campbell  0:03" (or "1:02:03"), the words below it.
HEADING_LINE = re.compile(r"^(?P<speaker>\S.{0,59}?)\s+(?P<stamp>(?:\d{1,2}:)?\d{1,2}:\d{2})$")


def looks_like_name(text: str) -> bool:
    """A speaker's name, not a clause: "Moira Campbell", "SPEAKER 1", not "We saw it"."""
    words = text.split()
    return 0 < len(words) <= 5 and all(
        word[0].isupper() or word[0].isdigit() or word.lower() in NAME_PARTICLES for word in words
    )


def split_speaker(text: str) -> tuple[str, str]:
    """The speaker named at the start of a cue or line, and the words after it."""
    match = SPEAKER_PREFIX.match(text)
    if match is None:
        return "", text.strip()
    plain = match.group("plain")
    speaker = (match.group("bracketed") or match.group("parenthesised") or plain).strip()
    too_long = len(speaker.split()) > 5
    if too_long or (plain and not looks_like_name(speaker)) or not match.group("rest").strip():
        return "", text.strip()
    return speaker, match.group("rest").strip()


def clean(text: str) -> str:
    text = MARKUP.sub("", text)
    text = html.unescape(text)
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def milliseconds(stamp: str) -> int:
    """ "01:02:03.5", "1:02", "01:02,250" as milliseconds."""
    whole, _, fraction = stamp.replace(",", ".").partition(".")
    parts = [int(part) for part in whole.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int((fraction + "000")[:3])


def detect_format(text: str, filename: str = "") -> str:
    name = filename.lower()
    if name.endswith(".vtt") or text.lstrip("\ufeff").startswith("WEBVTT"):
        return "vtt"
    if name.endswith(".srt") or re.match(r"\s*\d+\s*\r?\n\s*\d+:\d{2}:\d{2}[,.]\d{3}\s*-->", text):
        return "srt"
    return "text"


def parse_transcript(text: str, filename: str = "") -> list[Turn]:
    """Read a transcript. Raises TranscriptError("empty" | "malformed" | "too_long")."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise TranscriptError("empty")
    kind = detect_format(text, filename)
    turns = _subtitle_turns(text, kind) if kind in ("vtt", "srt") else _plain_turns(text)
    turns = join_turns(turns)
    if not turns:
        raise TranscriptError("empty")
    if len(turns) > MAX_TURNS:
        raise TranscriptError("too_long")
    return turns


def _subtitle_turns(text: str, kind: str) -> list[Turn]:
    # webvtt-py's SRT reader wants a byte stream; normalised line ends keep both readers happy.
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        if kind == "vtt":
            captions = webvtt.from_string(normalised)
        else:
            captions = webvtt.from_buffer(io.BytesIO(normalised.encode("utf-8")), format="srt")
    except (MalformedFileError, ValueError) as error:
        raise TranscriptError("malformed") from error
    turns = []
    for caption in captions:
        words = clean(caption.text)
        if not words:
            continue
        speaker = (caption.voice or "").strip()
        if not speaker:
            speaker, words = split_speaker(words)
        turns.append(
            Turn(
                speaker=speaker[:120],
                text=words,
                starts_ms=caption.start_time.in_milliseconds(),
                ends_ms=caption.end_time.in_milliseconds(),
            )
        )
    return turns


def _plain_turns(text: str) -> list[Turn]:
    """Plain text: each paragraph, or each line that names a speaker or starts with a time, is a
    turn; other lines continue the turn before them."""
    turns: list[Turn] = []
    continuing = False
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line:
            continuing = False
            continue
        heading = HEADING_LINE.match(line)
        if (
            heading
            and not PLAIN_TIMESTAMP.match(line)
            and looks_like_name(heading.group("speaker"))
        ):
            turns.append(
                Turn(
                    speaker=heading.group("speaker").strip()[:120],
                    text="",
                    starts_ms=milliseconds(heading.group("stamp")),
                )
            )
            continuing = True
            continue
        starts_ms = None
        stamp = PLAIN_TIMESTAMP.match(line)
        if stamp:
            starts_ms = milliseconds(stamp.group("stamp"))
            line = stamp.group("rest").strip()
        speaker, words = split_speaker(line)
        if continuing and turns and not speaker and starts_ms is None:
            turns[-1].text = f"{turns[-1].text} {words}".strip()
            continue
        if words or speaker:
            turns.append(Turn(speaker=speaker[:120], text=words, starts_ms=starts_ms))
            continuing = True
    for turn, following in zip(turns, turns[1:], strict=False):
        if turn.starts_ms is not None and following.starts_ms is not None:
            turn.ends_ms = following.starts_ms
    return [turn for turn in turns if turn.text]


def join_turns(turns: list[Turn]) -> list[Turn]:
    """Join consecutive cues of the same named speaker into one turn."""
    joined: list[Turn] = []
    for turn in turns:
        previous = joined[-1] if joined else None
        if previous is not None and turn.speaker and turn.speaker == previous.speaker:
            previous.text = f"{previous.text} {turn.text}"
            previous.ends_ms = turn.ends_ms if turn.ends_ms is not None else previous.ends_ms
        else:
            joined.append(Turn(turn.speaker, turn.text, turn.starts_ms, turn.ends_ms))
    return joined


def format_timestamp(value_ms: int | None) -> str:
    """Milliseconds as h:mm:ss, the way video players show a position."""
    if value_ms is None:
        return ""
    seconds = value_ms // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
