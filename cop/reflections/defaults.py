"""The default interview guide and the default codebook, built from the research frameworks of
the domain: the case's learning themes, Wenger-Trayner's value-creation cycles, Kirkpatrick's
levels and the seven features of the PB Charter for Scotland.

Their words live here, translatable, so that a French reader sees the default guide and codebook in
French; anything an organiser or researcher rewords is kept as they wrote it."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from cop.reflections.models import Phase, QuestionKind

FOLLOW_UP_QUESTIONS = [
    ("action_status", QuestionKind.TEXT),
    ("barriers", QuestionKind.TEXT),
    ("practice_change", QuestionKind.TEXT),
    ("value_story", QuestionKind.TEXT),
    ("continuing_contact", QuestionKind.TEXT),
]

DEFAULT_GUIDE: dict[Phase, list[tuple[str, QuestionKind]]] = {
    Phase.BEFORE: [
        ("expectations", QuestionKind.TEXT),
        ("home_problem", QuestionKind.TEXT),
        ("questions_for_hosts", QuestionKind.TEXT),
        ("baseline", QuestionKind.THEME_RATINGS),
    ],
    Phase.DURING: [
        ("learning_points", QuestionKind.TEXT),
        ("open_questions", QuestionKind.TEXT),
        ("observations", QuestionKind.TEXT),
    ],
    Phase.AFTER: [
        ("satisfaction", QuestionKind.SATISFACTION),
        ("learning", QuestionKind.TEXT),
        ("ratings_after", QuestionKind.THEME_RATINGS),
        ("action_plan", QuestionKind.TEXT),
    ],
    Phase.FOLLOW_UP_3: FOLLOW_UP_QUESTIONS,
    Phase.FOLLOW_UP_6: FOLLOW_UP_QUESTIONS,
    Phase.FOLLOW_UP_12: FOLLOW_UP_QUESTIONS,
}

QUESTION_TEXTS: dict[str, LazyString] = {
    "expectations": _l("What do you expect to learn from this visit?"),
    "home_problem": _l("Which problem at home should the visit help you with?"),
    "questions_for_hosts": _l("What do you want to ask the hosts?"),
    "baseline": _l(
        "How much do you know about each theme now? (1 = very little, 5 = enough to teach it)"
    ),
    "learning_points": _l("What did you learn in this session?"),
    "open_questions": _l("Which questions are still open?"),
    "observations": _l("What did you notice that surprised you?"),
    "satisfaction": _l("How satisfied are you with the visit? (1 = not at all, 5 = very)"),
    "learning": _l("What did you learn, compared with what you knew before?"),
    "ratings_after": _l(
        "How much do you know about each theme now? (1 = very little, 5 = enough to teach it)"
    ),
    "action_plan": _l(
        "What will you do at home? Name each action, who owns it, what must be adapted, and by "
        "when."
    ),
    "action_status": _l("Where are your actions now?"),
    "barriers": _l("What helped, and what got in the way?"),
    "practice_change": _l("What has changed in your practice or in your organisation?"),
    "value_story": _l(
        "Tell the story of the value the visit created: what you did with it, what difference it "
        "made, and how you know."
    ),
    "continuing_contact": _l("Who from the visit are you still in touch with, and about what?"),
}

# (key, children) from the roots down; the order is the order researchers read them in, and for
# the value-creation cycles it is the order of a value-creation story.
THEMES_ROOT = "themes"
CYCLES_ROOT = "value_cycles"
DEFAULT_CODEBOOK: list[tuple[str, list[str]]] = [
    (
        THEMES_ROOT,
        [
            "mainstreaming",
            "resourcing",
            "participatory_democracy",
            "digital_coproduction",
            "do_think_review",
            "equality",
            "service_or_democracy",
            "learning_from_each_other",
        ],
    ),
    (CYCLES_ROOT, ["immediate", "potential", "applied", "realised", "reframing"]),
    ("kirkpatrick", ["reaction", "learning", "behaviour", "results"]),
    (
        "charter",
        [
            "fair_inclusive",
            "participatory",
            "deliberative",
            "empowering",
            "creative_flexible",
            "transparent",
            "part_of_democracy",
        ],
    ),
]

CODE_NAMES: dict[str, LazyString] = {
    "themes": _l("Learning themes of the visit"),
    "mainstreaming": _l("Mainstreaming PB"),
    "resourcing": _l("Resourcing"),
    "participatory_democracy": _l("Participatory democracy"),
    "digital_coproduction": _l("Co-producing projects on a digital platform"),
    "do_think_review": _l("Do-think-review"),
    "equality": _l("Equality and diversity"),
    "service_or_democracy": _l("Service delivery or democratic innovation"),
    "learning_from_each_other": _l("Learning from each other"),
    "value_cycles": _l("Value creation (Wenger-Trayner)"),
    "immediate": _l("Immediate value"),
    "potential": _l("Potential value"),
    "applied": _l("Applied value"),
    "realised": _l("Realised value"),
    "reframing": _l("Reframing value"),
    "kirkpatrick": _l("Kirkpatrick levels"),
    "reaction": _l("Level 1: reaction"),
    "learning": _l("Level 2: learning"),
    "behaviour": _l("Level 3: behaviour"),
    "results": _l("Level 4: results"),
    "charter": _l("PB Charter for Scotland"),
    "fair_inclusive": _l("Fair and inclusive"),
    "participatory": _l("Participatory"),
    "deliberative": _l("Deliberative"),
    "empowering": _l("Empowering"),
    "creative_flexible": _l("Creative and flexible"),
    "transparent": _l("Transparent"),
    "part_of_democracy": _l("Part of our democracy"),
}

CODE_DEFINITIONS: dict[str, LazyString] = {
    "themes": _l("What the participants learned about, as the case names it."),
    "mainstreaming": _l(
        "Moving PB from small grants to a share of the mainstream budget, and what that takes."
    ),
    "resourcing": _l(
        "Who does the work: a central team, a named officer in each department, volunteers."
    ),
    "participatory_democracy": _l(
        "How the mayor, members, neighbourhood councils and officers work with residents."
    ),
    "digital_coproduction": _l(
        "Residents comment on, merge and improve proposals online, with workshops before the vote."
    ),
    "do_think_review": _l("Starting and accepting uncertainty instead of plan-do-review."),
    "equality": _l("Who takes part and who does not, and what is done to reach people."),
    "service_or_democracy": _l(
        "Whether PB is a way to deliver services or a democratic innovation."
    ),
    "learning_from_each_other": _l(
        "What the visitors learned from one another (Glasgow with Fife), not only from the host."
    ),
    "value_cycles": _l(
        "The cycles through which a community or network creates value for its members."
    ),
    "immediate": _l("Activities and interactions worth having in themselves: enjoyment, help."),
    "potential": _l("Knowledge, contacts, confidence or ideas that may be used later."),
    "applied": _l("Using what was gained in practice: changing what one does."),
    "realised": _l("A difference in results that follows from the change in practice."),
    "reframing": _l("Redefining success, strategies or the criteria by which one is judged."),
    "kirkpatrick": _l("Four levels at which the outcomes of learning are evaluated."),
    "reaction": _l("How participants felt about the visit."),
    "learning": _l("Knowledge and skills gained, measured against the baseline."),
    "behaviour": _l("Changes in what people do at work, checked 3 to 6 months later."),
    "results": _l("Outcomes for the organisation and its residents."),
    "charter": _l("The seven features of good PB set out in the PB Charter for Scotland (2019)."),
    "fair_inclusive": _l("Everyone can take part; barriers are removed."),
    "participatory": _l("People take part in decisions, not only in consultation."),
    "deliberative": _l("People discuss and weigh up proposals together."),
    "empowering": _l("People gain influence and capacity."),
    "creative_flexible": _l("The process is adapted to local needs and tried in new ways."),
    "transparent": _l("Rules, money and results are open to all."),
    "part_of_democracy": _l("PB is built into how the public body takes decisions."),
}
