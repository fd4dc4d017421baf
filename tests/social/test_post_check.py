"""The draft-post check, one rule at a time."""

from __future__ import annotations

from datetime import UTC, datetime

from cop.social.checks import (
    Draft,
    EmbargoRule,
    PersonConsent,
    ProtocolRules,
    check_post,
    mentions,
)

MORAG = PersonConsent("Morag Campbell", photo=True, video=True, tagging=True, naming=True)
ALASDAIR = PersonConsent(
    "Cllr Alasdair Reid", photo=False, video=False, tagging=False, naming=False
)
EILIDH = PersonConsent("Eilidh Robertson", photo=True, video=False, tagging=True, naming=True)
UNTIL = datetime(2016, 12, 12, 8, 0, tzinfo=UTC)
RULES = ProtocolRules(
    hashtags=["#PBScotland", "#BudgetParticipatif"],
    forbidden_topics=["names of residents", "proposals not yet on the ballot"],
    embargoes=[
        EmbargoRule("steering group", UNTIL, ("steering group", "Observation of the PB board"))
    ],
    people=[MORAG, ALASDAIR, EILIDH],
)
TAGS = " #PBScotland #BudgetParticipatif"
BEFORE = datetime(2016, 12, 9, 11, 0, tzinfo=UTC)


def check(text: str, **fields) -> list[tuple[str, str]]:
    values = {"platform_limit": 280, "post_at": BEFORE}
    values.update(fields)
    return check_post(Draft(text=text, **values), RULES)


def test_a_draft_that_follows_every_rule_has_no_problem() -> None:
    assert check("Learning from Paris today." + TAGS, pictured=[MORAG]) == []


def test_inside_an_embargo() -> None:
    assert check("At the Steering  Group this morning." + TAGS) == [("embargo", "steering group")]
    # The item's title gives it away as well; after the embargo ends it may be posted.
    assert check("Observation of the PB board" + TAGS) == [("embargo", "steering group")]
    assert check("At the steering group." + TAGS, post_at=UNTIL) == []


def test_a_missing_hashtag() -> None:
    assert check("Learning from Paris #pbscotland") == [("hashtag", "#BudgetParticipatif")]


def test_someone_pictured_without_consent() -> None:
    assert check("Our group." + TAGS, pictured=[MORAG, ALASDAIR]) == [
        ("photo", "Cllr Alasdair Reid")
    ]
    assert check("Our group." + TAGS, pictured=[EILIDH], has_video=True) == [
        ("video", "Eilidh Robertson")
    ]


def test_someone_tagged_or_named_without_consent() -> None:
    assert check("With our councillor." + TAGS, tagged=[ALASDAIR]) == [
        ("tagging", "Cllr Alasdair Reid")
    ]
    assert check("Cllr Alasdair Reid spoke." + TAGS) == [("naming", "Cllr Alasdair Reid")]
    assert check("Morag Campbell spoke." + TAGS) == []


def test_a_forbidden_topic() -> None:
    assert check("The names of residents who voted." + TAGS) == [("topic", "names of residents")]
    # Whole words only: "residential" is not "residents".
    assert mentions("residential names of", "names of residents") is False


def test_too_long_for_the_platform() -> None:
    text = "x" * 270 + TAGS
    assert check(text) == [("length", str(len(text) - 280))]
    assert check(text, platform_limit=3000) == []


def test_every_problem_is_reported_at_once() -> None:
    problems = check("Cllr Alasdair Reid at the steering group", pictured=[ALASDAIR])
    assert {rule for rule, _detail in problems} == {"embargo", "hashtag", "photo", "naming"}
