"""The draft-post check: what in a draft breaks the protocol or someone's consent (no Flask).

Each rule gives problems as (rule, detail); the views word them in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class EmbargoRule:
    subject: str
    until: datetime
    # The words that give the subject away: the subject itself and the item's title.
    words: tuple[str, ...]


@dataclass(frozen=True)
class PersonConsent:
    name: str
    photo: bool
    video: bool
    tagging: bool
    naming: bool


@dataclass
class Draft:
    text: str
    platform_limit: int
    post_at: datetime
    has_video: bool = False
    pictured: list[PersonConsent] = field(default_factory=list)
    tagged: list[PersonConsent] = field(default_factory=list)


@dataclass(frozen=True)
class ProtocolRules:
    hashtags: list[str]
    forbidden_topics: list[str]
    embargoes: list[EmbargoRule]
    # Everyone the visit knows, to find who is named or tagged in the text.
    people: list[PersonConsent]


def mentions(text: str, phrase: str) -> bool:
    """The phrase as whole words, whatever the case and the spacing."""
    words = [re.escape(word) for word in phrase.split()]
    if not words:
        return False
    return re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text, re.IGNORECASE) is not None


def check_post(draft: Draft, rules: ProtocolRules) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for embargo in rules.embargoes:
        if draft.post_at < embargo.until and any(mentions(draft.text, w) for w in embargo.words):
            problems.append(("embargo", embargo.subject))
    tags = {tag.lower() for tag in re.findall(r"#\w+", draft.text)}
    for hashtag in rules.hashtags:
        if hashtag.lower() not in tags:
            problems.append(("hashtag", hashtag))
    for person in draft.pictured:
        if not person.photo:
            problems.append(("photo", person.name))
        if draft.has_video and not person.video:
            problems.append(("video", person.name))
    for person in draft.tagged:
        if not person.tagging:
            problems.append(("tagging", person.name))
    for person in rules.people:
        if mentions(draft.text, person.name) and not person.naming:
            problems.append(("naming", person.name))
    for topic in rules.forbidden_topics:
        if mentions(draft.text, topic):
            problems.append(("topic", topic))
    if len(draft.text) > draft.platform_limit:
        problems.append(("length", str(len(draft.text) - draft.platform_limit)))
    return problems
