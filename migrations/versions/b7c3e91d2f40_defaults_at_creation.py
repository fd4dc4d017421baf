"""Defaults given when a visit or programme is created: the visits and programmes made before
get theirs now (a visit its reflection guide and an empty social-media protocol, a programme its
codebook), so that no page has to create them while it is only being read.

The keys are those of cop.reflections.defaults at this revision, written out so that the
migration does not change when the defaults do.

Revision ID: b7c3e91d2f40
Revises: 59a47761c08d
Create Date: 2026-12-02 19:45:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "b7c3e91d2f40"
down_revision = "59a47761c08d"
branch_labels = None
depends_on = None

FOLLOW_UP = [
    ("action_status", "text"),
    ("barriers", "text"),
    ("practice_change", "text"),
    ("value_story", "text"),
    ("continuing_contact", "text"),
]
GUIDE = {
    "before": [
        ("expectations", "text"),
        ("home_problem", "text"),
        ("questions_for_hosts", "text"),
        ("baseline", "theme_ratings"),
    ],
    "during": [("learning_points", "text"), ("open_questions", "text"), ("observations", "text")],
    "after": [
        ("satisfaction", "satisfaction"),
        ("learning", "text"),
        ("ratings_after", "theme_ratings"),
        ("action_plan", "text"),
    ],
    "follow_up_3": FOLLOW_UP,
    "follow_up_6": FOLLOW_UP,
    "follow_up_12": FOLLOW_UP,
}
CODEBOOK = [
    (
        "themes",
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
    ("value_cycles", ["immediate", "potential", "applied", "realised", "reframing"]),
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

visit = sa.table("visit", sa.column("id", sa.Integer))
programme = sa.table("programme", sa.column("id", sa.Integer))
guide_question = sa.table(
    "guide_question",
    sa.column("visit_id", sa.Integer),
    sa.column("phase", sa.String),
    sa.column("position", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("default_key", sa.String),
    sa.column("text", sa.Text),
)
code = sa.table(
    "code",
    sa.column("id", sa.Integer),
    sa.column("programme_id", sa.Integer),
    sa.column("parent_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("default_key", sa.String),
    sa.column("name", sa.String),
    sa.column("definition", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
protocol = sa.table(
    "social_protocol",
    sa.column("visit_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("platforms", sa.String),
    sa.column("hashtags", sa.String),
    sa.column("accounts", sa.String),
    sa.column("forbidden_topics", sa.Text),
    sa.column("photo_rules", sa.Text),
    sa.column("video_rules", sa.Text),
    sa.column("host_comment", sa.Text),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade():
    connection = op.get_bind()
    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    guided = sa.select(guide_question.c.visit_id)
    for (visit_id,) in connection.execute(sa.select(visit.c.id).where(visit.c.id.not_in(guided))):
        connection.execute(
            guide_question.insert(),
            [
                {
                    "visit_id": visit_id,
                    "phase": phase,
                    "position": position,
                    "kind": kind,
                    "default_key": key,
                    "text": "",
                }
                for phase, questions in GUIDE.items()
                for position, (key, kind) in enumerate(questions)
            ],
        )
    with_protocol = sa.select(protocol.c.visit_id)
    for (visit_id,) in connection.execute(
        sa.select(visit.c.id).where(visit.c.id.not_in(with_protocol))
    ):
        connection.execute(
            protocol.insert().values(
                visit_id=visit_id,
                version=1,
                platforms="",
                hashtags="",
                accounts="",
                forbidden_topics="",
                photo_rules="",
                video_rules="",
                host_comment="",
                updated_at=now,
            )
        )
    coded = sa.select(code.c.programme_id)
    for (programme_id,) in connection.execute(
        sa.select(programme.c.id).where(programme.c.id.not_in(coded))
    ):
        for root_position, (root_key, children) in enumerate(CODEBOOK):
            root_id = connection.execute(
                code.insert()
                .values(
                    programme_id=programme_id,
                    parent_id=None,
                    position=root_position,
                    default_key=root_key,
                    name="",
                    definition="",
                    created_at=now,
                )
                .returning(code.c.id)
            ).scalar_one()
            connection.execute(
                code.insert(),
                [
                    {
                        "programme_id": programme_id,
                        "parent_id": root_id,
                        "position": position,
                        "default_key": key,
                        "name": "",
                        "definition": "",
                        "created_at": now,
                    }
                    for position, key in enumerate(children)
                ],
            )


def downgrade():
    # The defaults are data a visit's people may have reworded since; they stay.
    pass
