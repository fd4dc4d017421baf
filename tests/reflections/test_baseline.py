"""The baseline a person's later self-ratings are read against: their ratings before this
visit, by theme, and no one else's. Plain session, no app."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cop.reflections import logic
from cop.reflections.models import Phase, SelfRating
from tests.conftest import Factory


def test_the_baseline_is_the_persons_own_ratings_before_this_visit(
    build: Factory, session: Session
) -> None:
    programme = build.programme()
    visit, other_visit = (build.visit(programme_id=programme.id) for _ in range(2))
    officer, colleague = build.person(), build.person()
    theme, other_theme = logic.learning_themes(session, programme.id)[:2]

    def rate(where, who, phase, scores):
        reflection = build.reflection(where, who, phase=phase)
        reflection.ratings = [SelfRating(code_id=c.id, score=s) for c, s in scores.items()]
        session.flush()

    rate(visit, officer, Phase.BEFORE, {theme: 2, other_theme: 3})
    rate(visit, officer, Phase.AFTER, {theme: 4})
    rate(visit, colleague, Phase.BEFORE, {theme: 5})
    rate(other_visit, officer, Phase.BEFORE, {theme: 1})

    assert logic.baseline_ratings(session, visit.id, officer.id) == {theme.id: 2, other_theme.id: 3}
    assert logic.baseline_ratings(session, visit.id, build.person().id) == {}
