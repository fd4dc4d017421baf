"""The Paris case's reflections, coding and actions at home, for the demo (no Flask here).

The learning points are the ones the Glasgow lead officer named after the visit; the interview is
shaped like the What Works Scotland video interviews; the actions are the kind Glasgow and Fife
took home (a PB evaluation toolkit, named officers, volunteers, a first do-think-review round)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.accounts.models import User
from cop.actions.models import Action, ActionStatus, ActionUpdate
from cop.directory.models import Person
from cop.itinerary.models import ItineraryItem
from cop.reflections.logic import (
    ensure_codebook,
    ensure_guide,
    guide_questions,
    map_speakers,
    passages_of,
    question_text,
)
from cop.reflections.models import (
    Consent,
    Passage,
    Phase,
    QuestionKind,
    Reflection,
    ReflectionSource,
    SelfRating,
)
from cop.reflections.transcripts import parse_transcript
from cop.research.models import Code, CodedSegment, Memo
from cop.visits.models import Visit


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# writer, phase, consent, submitted on, answers by default question key, baseline/after ratings
WRITTEN = [
    (
        "lead@glasgow.example",
        Phase.BEFORE,
        Consent.QUOTABLE,
        date(2016, 12, 1),
        {
            "expectations": "How Paris got from small grants to EUR 100m a year, and what it "
            "took in staff and in politics.",
            "home_problem": "Glasgow must put 1% of its budget through PB: about GBP 24m a year, "
            "from a few small-grants rounds today.",
            "questions_for_hosts": "Who in each department answers for PB projects? How do you "
            "stop the digital platform from favouring the already engaged?",
        },
        {"mainstreaming": 2, "resourcing": 2, "digital_coproduction": 1, "do_think_review": 1},
    ),
    (
        "lead@glasgow.example",
        Phase.AFTER,
        Consent.QUOTABLE,
        date(2016, 12, 20),
        {
            "learning": "PB cannot be delivered at scale without staff: Paris has a central team "
            "and a named officer in every department. Their volunteers, 16 to 25 year olds on a "
            "six-month assignment, boosted the work: 300 of them last year.",
            "action_plan": "Propose a named PB officer in each service; build an evaluation "
            "toolkit with What Works Scotland before we scale up.",
        },
        {"mainstreaming": 4, "resourcing": 4, "digital_coproduction": 3, "do_think_review": 3},
    ),
    (
        "participant@fife.example",
        Phase.BEFORE,
        Consent.NAMED,
        date(2016, 12, 2),
        {
            "expectations": "To see how a city that size keeps residents involved between votes.",
            "home_problem": "Fife's local areas run PB as small grants; we want to reach people "
            "who never come to a community meeting.",
        },
        {"mainstreaming": 1, "resourcing": 2, "digital_coproduction": 2, "do_think_review": 1},
    ),
    (
        "participant@fife.example",
        Phase.FOLLOW_UP_6,
        Consent.NAMED,
        date(2017, 6, 12),
        {
            "action_status": "Our first do-think-review round ran in two local areas this spring.",
            "barriers": "Finance wanted a full plan before anything moved; the elected members' "
            "support got us through.",
            "practice_change": "We now start with a light framework and review with residents "
            "after each stage instead of planning everything first.",
            "value_story": "In Paris I saw officers accept a period of uncertainty as a risk worth "
            "taking. Back in Fife we tried it in two areas; twice as many proposals came in as the "
            "year before, and the review changed how we judge a good round: by who took part, not "
            "only by money spent.",
            "continuing_contact": "Glasgow's PB lead, monthly; the Paris volunteer service once.",
        },
        {},
    ),
    (
        "priya.sharma@glasgow.example",
        Phase.AFTER,
        Consent.PSEUDONYMISED,
        date(2016, 12, 21),
        {
            "learning": "Paris counts voters by arrondissement but says little about who does not "
            "vote. Our equality duties ask more of us than that.",
            "action_plan": "Add equality monitoring to the toolkit: who proposes, who votes.",
        },
        {"equality": 3},
    ),
    (
        "callum.stewart@fife.example",
        Phase.AFTER,
        Consent.PRIVATE,
        date(2016, 12, 22),
        {"learning": "Private notes for my own policy paper."},
        {},
    ),
]

INTERVIEW_VTT = """WEBVTT

NOTE What Works Scotland video interview, Paris, 9 December 2016

00:00:02.000 --> 00:00:06.500
<v Dr Tom Baxter>What will you take back to Glasgow from these two days?

00:00:07.000 --> 00:00:13.000
<v Iain MacLeod>The digital platform. People comment on proposals and similar ones are merged

00:00:13.000 --> 00:00:19.500
<v Iain MacLeod>before the vote, with a workshop to improve them. We could do that next round.

00:00:20.000 --> 00:00:24.000
<v Dr Tom Baxter>And from Fife, as well as from Paris?

00:00:24.500 --> 00:00:31.000
<v Iain MacLeod>Honestly, talking to Eilidh on the train taught me as much: Fife already
runs its ballots with volunteers.
"""

IAIN = "iain.macleod@glasgow.example"
# (coder email, writer email, phase, passage position, code key, quote or None for all)
CODINGS = [
    ("researcher@wws.example", "lead@glasgow.example", Phase.AFTER, 0, "resourcing", None),
    ("researcher@wws.example", "lead@glasgow.example", Phase.AFTER, 0, "potential", None),
    ("tom.baxter@wws.example", "lead@glasgow.example", Phase.AFTER, 0, "resourcing", None),
    ("researcher@wws.example", "lead@glasgow.example", Phase.AFTER, 1, "applied", None),
    ("tom.baxter@wws.example", "lead@glasgow.example", Phase.AFTER, 1, "applied", None),
    ("researcher@wws.example", "lead@glasgow.example", Phase.AFTER, 1, "mainstreaming", None),
    ("tom.baxter@wws.example", "lead@glasgow.example", Phase.AFTER, 1, "mainstreaming", None),
    (
        "researcher@wws.example",
        "participant@fife.example",
        Phase.FOLLOW_UP_6,
        0,
        "do_think_review",
        "do-think-review round",
    ),
    ("researcher@wws.example", "participant@fife.example", Phase.FOLLOW_UP_6, 2, "applied", None),
    (
        "researcher@wws.example",
        "participant@fife.example",
        Phase.FOLLOW_UP_6,
        3,
        "immediate",
        "In Paris I saw officers accept a period of uncertainty as a risk worth taking.",
    ),
    (
        "researcher@wws.example",
        "participant@fife.example",
        Phase.FOLLOW_UP_6,
        3,
        "realised",
        "twice as many proposals came in as the year before",
    ),
    (
        "researcher@wws.example",
        "participant@fife.example",
        Phase.FOLLOW_UP_6,
        3,
        "reframing",
        "by who took part, not only by money spent",
    ),
    (
        "researcher@wws.example",
        "participant@fife.example",
        Phase.FOLLOW_UP_6,
        4,
        "learning_from_each_other",
        None,
    ),
    ("researcher@wws.example", "priya.sharma@glasgow.example", Phase.AFTER, 0, "equality", None),
    (
        "researcher@wws.example",
        "iain.macleod@glasgow.example",
        Phase.AFTER,
        1,
        "digital_coproduction",
        None,
    ),
    (
        "tom.baxter@wws.example",
        "iain.macleod@glasgow.example",
        Phase.AFTER,
        1,
        "digital_coproduction",
        None,
    ),
    (
        "researcher@wws.example",
        "iain.macleod@glasgow.example",
        Phase.AFTER,
        3,
        "learning_from_each_other",
        None,
    ),
    ("tom.baxter@wws.example", "iain.macleod@glasgow.example", Phase.AFTER, 3, "potential", None),
]

# owner, title, theme, adaptation, target, status, updates (day, status, note)
ACTIONS = [
    (
        "lead@glasgow.example",
        "A PB evaluation toolkit for Glasgow",
        "mainstreaming",
        "Paris evaluates with its own statistics office; Glasgow needs a pick-and-mix toolkit "
        "its community planning partners can use without one.",
        date(2017, 6, 30),
        ActionStatus.DONE,
        [
            (date(2017, 2, 1), ActionStatus.IN_PROGRESS, "First draft with What Works Scotland."),
            (date(2017, 6, 20), ActionStatus.DONE, "Toolkit published by What Works Scotland."),
        ],
    ),
    (
        "lead@glasgow.example",
        "A named PB officer in each council service",
        "resourcing",
        "Paris's departments are larger; in Glasgow one officer may cover two services.",
        date(2017, 9, 30),
        ActionStatus.IN_PROGRESS,
        [(date(2017, 3, 15), ActionStatus.IN_PROGRESS, "Agreed by the PB steering group.")],
    ),
    (
        "iain.macleod@glasgow.example",
        "Merge similar proposals online before the vote",
        "digital_coproduction",
        "Our platform cannot comment yet; start with a merging workshop in person.",
        date(2017, 11, 30),
        ActionStatus.PLANNED,
        [],
    ),
    (
        "participant@fife.example",
        "A do-think-review PB round in two Fife local areas",
        "do_think_review",
        "Keep a light framework that Fife's finance rules accept, then review with residents "
        "after each stage.",
        date(2017, 5, 31),
        ActionStatus.DONE,
        [
            (date(2017, 2, 10), ActionStatus.IN_PROGRESS, "Two area committees agreed."),
            (date(2017, 5, 30), ActionStatus.DONE, "Both rounds held; review with residents done."),
        ],
    ),
    (
        "fiona.duncan@fife.example",
        "Young volunteers to help run Fife's ballots",
        "resourcing",
        "No civic-service allowance as in France: work with Fife's youth work team instead.",
        date(2018, 3, 31),
        ActionStatus.DROPPED,
        [(date(2018, 1, 15), ActionStatus.DROPPED, "No budget for the youth workers' time.")],
    ),
]


def add_reflections(session: Session, visit: Visit, people: dict[str, Person]) -> None:
    """Reflections, an interview, two researchers' coding, memos and actions for the demo."""
    ensure_guide(session, visit.id)
    ensure_codebook(session, visit.programme_id)
    codes = {
        code.default_key: code
        for code in session.scalars(select(Code).where(Code.programme_id == visit.programme_id))
    }
    coders = {user.email: user for user in session.scalars(select(User))}
    reflections: dict[tuple[str, Phase], Reflection] = {}
    for email, phase, consent, day, answers, ratings in WRITTEN:
        questions = {
            q.default_key: q
            for q in guide_questions(session, visit.id, phase)
            if q.kind is QuestionKind.TEXT
        }
        reflection = Reflection(
            visit_id=visit.id,
            person_id=people[email].id,
            phase=phase,
            consent=consent,
            source=ReflectionSource.WRITTEN,
            satisfaction=5 if phase is Phase.AFTER else None,
            submitted_at=_at(day),
            created_at=_at(day, 10),
            passages=[
                Passage(
                    position=position,
                    question_id=questions[key].id,
                    # Demo writers wrote in English, so the question is kept as they read it.
                    question_text=question_text(questions[key]),
                    text=text,
                )
                for position, (key, text) in enumerate(answers.items())
            ],
            ratings=[
                SelfRating(code_id=codes[key].id, score=score) for key, score in ratings.items()
            ],
        )
        session.add(reflection)
        reflections[(email, phase)] = reflection
    interviewee = people["iain.macleod@glasgow.example"]
    turns = parse_transcript(INTERVIEW_VTT, "interview.vtt")
    interviewer = coders["tom.baxter@wws.example"].person
    speakers = map_speakers(
        [turn.speaker for turn in turns],
        [(interviewee.id, interviewee.name), (interviewer.id, interviewer.name)],
    )
    interview = Reflection(
        visit_id=visit.id,
        person_id=interviewee.id,
        phase=Phase.AFTER,
        consent=Consent.QUOTABLE,
        source=ReflectionSource.INTERVIEW,
        video_reference="WWS-Paris-2016/interview-03.mp4",
        interviewed_on=date(2016, 12, 9),
        created_by_id=coders["tom.baxter@wws.example"].id,
        submitted_at=_at(date(2016, 12, 14)),
        created_at=_at(date(2016, 12, 14), 10),
        itinerary_item_id=None,
        passages=passages_of(turns, speakers),
    )
    session.add(interview)
    reflections[("iain.macleod@glasgow.example", Phase.AFTER)] = interview
    session.flush()
    for coder, writer, phase, position, key, quote in CODINGS:
        passage = reflections[(writer, phase)].passages[position]
        start = passage.text.index(quote) if quote else 0
        session.add(
            CodedSegment(
                passage_id=passage.id,
                code_id=codes[key].id,
                coder_id=coders[coder].id,
                char_start=start,
                char_end=start + len(quote) if quote else len(passage.text),
                created_at=_at(date(2017, 7, 3)),
            )
        )
    session.add(
        Memo(
            reflection=reflections[("participant@fife.example", Phase.FOLLOW_UP_6)],
            author_id=coders["researcher@wws.example"].id,
            text="A full value-creation story: immediate value in Paris, applied in two areas, "
            "realised in turnout, and reframing how a round is judged.",
            created_at=_at(date(2017, 7, 3), 15),
        )
    )
    during = session.scalar(
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == visit.id)
        .order_by(ItineraryItem.starts_at)
    )
    learning_points = guide_questions(session, visit.id, Phase.DURING)[0]
    session.add(
        Reflection(
            visit_id=visit.id,
            person_id=people["participant@fife.example"].id,
            phase=Phase.DURING,
            consent=Consent.PRIVATE,
            itinerary_item_id=during.id if during else None,
            created_at=_at(date(2016, 12, 8), 18),
            passages=[
                Passage(
                    position=0,
                    question_id=learning_points.id,
                    question_text=question_text(learning_points),
                    text="A central team, and one named officer in every department. Ask "
                    "tomorrow how the volunteers are trained.",
                )
            ],
        )
    )
    for owner, title, theme, adaptation, target, status, updates in ACTIONS:
        person = people[owner]
        learning = reflections.get((owner, Phase.AFTER)) or reflections.get(
            (owner, Phase.FOLLOW_UP_6)
        )
        session.add(
            Action(
                visit_id=visit.id,
                title=title,
                owner_id=person.id,
                organisation_id=person.organisation_id,
                passage_id=learning.passages[0].id if learning else None,
                learning_point=learning.passages[0].text if learning else "",
                theme_id=codes[theme].id,
                adaptation=adaptation,
                target_date=target,
                status=status,
                created_at=_at(date(2016, 12, 22)),
                updates=[
                    ActionUpdate(
                        author_id=person.id,
                        status=ActionStatus.PLANNED,
                        note="",
                        created_at=_at(date(2016, 12, 22)),
                    ),
                    *(
                        ActionUpdate(
                            author_id=person.id, status=state, note=note, created_at=_at(day)
                        )
                        for day, state, note in updates
                    ),
                ],
            )
        )
