"""Interview transcripts as subtitle tools and transcription services write them."""

from __future__ import annotations

import pytest

from cop.reflections.transcripts import (
    TranscriptError,
    Turn,
    format_timestamp,
    parse_transcript,
    split_speaker,
)

# As a captioning tool writes WebVTT: a header with metadata, a STYLE block, a NOTE, cue ids,
# cue settings, voice spans with classes, entities, and one speaker's words cut into two cues.
WEBVTT = """WEBVTT
Kind: captions
Language: en

STYLE
::cue { color: white; }

NOTE Recorded in the Hôtel de Ville, 9 December 2016

interview-1
00:00:02.000 --> 00:00:06.500 align:start position:10%
<v Dr Tom Baxter>What will you take back to Glasgow?</v>

interview-2
00:00:07.000 --> 00:00:13.000 line:85%
<v.loud Iain MacLeod>The digital platform &amp; the workshops

interview-3
00:00:13.000 --> 00:00:19.500
<v Iain MacLeod>before the vote.</v>

00:01:00.250 --> 00:01:02.000
<i>[laughter]</i>
"""

# YouTube's automatic captions: no speakers, words timed inside the cue.
YOUTUBE_VTT = """WEBVTT
Kind: captions
Language: fr

00:00:00.080 --> 00:00:02.550 align:start position:0%
le<00:00:00.480><c> budget</c><00:00:00.960><c> participatif</c>

00:00:02.550 --> 00:00:04.000 align:start position:0%
de<00:00:02.800><c> Paris</c>
"""

# SubRip from a desktop subtitle editor on Windows: BOM, CRLF, comma milliseconds, formatting
# tags, speakers as "NAME:" and a cue over two lines.
SRT = "\ufeff" + "\r\n".join(
    [
        "1",
        "00:00:01,250 --> 00:00:03,000",
        "EILIDH: <i>We saw</i> how they merge proposals.",
        "",
        "2",
        "00:00:03,100 --> 00:00:05,900",
        "EILIDH: And the volunteers,",
        "three hundred of them.",
        "",
        "3",
        "00:00:06,000 --> 00:00:08,000",
        "{\\an8}INTERVIEWER: Would that work in Fife?",
        "",
        "",
    ]
)

PLAIN = """[00:00:05] Interviewer: What did you learn?
[00:00:09] Eilidh Robertson: That Paris accepts uncertainty.
It is a risk they think worth taking.

A paragraph without a speaker.
"""

OTTER = """Tom Baxter  0:02
What will you take back?

Iain MacLeod  0:07
The digital platform.

Tom Baxter  1:02:03
Thank you.
"""


def test_webvtt_keeps_speakers_times_and_joins_one_speakers_cues() -> None:
    turns = parse_transcript(WEBVTT, "interview.vtt")
    assert turns == [
        Turn("Dr Tom Baxter", "What will you take back to Glasgow?", 2000, 6500),
        Turn("Iain MacLeod", "The digital platform & the workshops before the vote.", 7000, 19500),
        Turn("", "[laughter]", 60250, 62000),
    ]


def test_automatic_captions_lose_their_word_timings_but_keep_the_cues() -> None:
    turns = parse_transcript(YOUTUBE_VTT, "captions.fr.vtt")
    assert [t.text for t in turns] == ["le budget participatif", "de Paris"]
    assert turns[0].starts_ms == 80 and turns[0].speaker == ""


def test_srt_from_windows_reads_speakers_from_the_text() -> None:
    turns = parse_transcript(SRT, "interview.srt")
    assert turns == [
        Turn(
            "EILIDH",
            "We saw how they merge proposals. And the volunteers, three hundred of them.",
            1250,
            5900,
        ),
        Turn("INTERVIEWER", "Would that work in Fife?", 6000, 8000),
    ]


def test_srt_is_recognised_without_its_extension() -> None:
    assert parse_transcript(SRT, "")[0].speaker == "EILIDH"


def test_plain_text_with_times_and_speakers() -> None:
    turns = parse_transcript(PLAIN, "notes.txt")
    assert turns == [
        Turn("Interviewer", "What did you learn?", 5000, 9000),
        Turn(
            "Eilidh Robertson",
            "That Paris accepts uncertainty. It is a risk they think worth taking.",
            9000,
            None,
        ),
        Turn("", "A paragraph without a speaker.", None, None),
    ]


def test_otter_style_text_puts_the_speaker_and_time_above_the_words() -> None:
    turns = parse_transcript(OTTER, "otter.txt")
    assert [(t.speaker, t.text, t.starts_ms) for t in turns] == [
        ("Tom Baxter", "What will you take back?", 2000),
        ("Iain MacLeod", "The digital platform.", 7000),
        ("Tom Baxter", "Thank you.", 3723000),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Moira Campbell: We saw it.", ("Moira Campbell", "We saw it.")),
        ("SPEAKER 1: Hello.", ("SPEAKER 1", "Hello.")),
        (">> Anne de la Tour: Oui.", ("Anne de la Tour", "Oui.")),
        ("[Interviewer] So?", ("Interviewer", "So?")),
        ("We saw it: the platform.", ("", "We saw it: the platform.")),
        ("Note the time: 10:30.", ("", "Note the time: 10:30.")),
    ],
)
def test_a_speaker_is_a_name_before_a_colon_not_a_clause(line: str, expected: tuple) -> None:
    assert split_speaker(line) == expected


@pytest.mark.parametrize(
    ("text", "filename", "reason"),
    [
        ("", "x.vtt", "empty"),
        ("   \n\n", "x.txt", "empty"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "x.vtt", "empty"),
        ("This is not a subtitle file", "x.vtt", "malformed"),
    ],
)
def test_unreadable_transcripts_say_why(text: str, filename: str, reason: str) -> None:
    with pytest.raises(TranscriptError) as error:
        parse_transcript(text, filename)
    assert error.value.reason == reason


def test_times_read_like_a_video_players() -> None:
    assert format_timestamp(3723000) == "1:02:03"
    assert format_timestamp(7000) == "0:00:07"
    assert format_timestamp(None) == ""
