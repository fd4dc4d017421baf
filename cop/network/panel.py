"""The network as panel data for stochastic actor-oriented models (RSiena), pseudonymised (no
Flask here): one adjacency matrix per survey wave (or, without two waves, per window before and
after the visit), the same actors in the same order in each, and their organisation and
country as covariates, in the plain text RSiena's users read with ``read.table``.

A survey wave's matrix has a row of NA for each person it asked who did not answer: their own
ties are missing, not absent (RSiena treats NA as missing). Ties others named them in stay."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.network import analysis
from cop.network.loading import Scope, survey_day
from cop.network.models import SurveyAnswer, SurveyRespondent, SurveyWave


@dataclass(frozen=True)
class Observation:
    """One observation of the network: its arcs, and the actors whose own ties are missing."""

    name: str
    day: date
    arcs: frozenset[tuple[Hashable, Hashable]]
    missing: frozenset = frozenset()


def survey_observations(session: Session, programme_id: int, ids: set) -> list[Observation]:
    """One observation per wave that asked someone in scope: who named whom."""
    waves = session.execute(
        select(SurveyWave.id, SurveyWave.title, SurveyWave.asked_on, SurveyWave.months)
        .where(SurveyWave.programme_id == programme_id)
        .order_by(SurveyWave.asked_on, SurveyWave.id)
    ).all()
    asked = session.execute(
        select(SurveyRespondent.wave_id, SurveyRespondent.person_id, SurveyRespondent.answered_at)
        .join(SurveyWave, SurveyWave.id == SurveyRespondent.wave_id)
        .where(SurveyWave.programme_id == programme_id)
    ).all()
    named = session.execute(
        select(SurveyRespondent.wave_id, SurveyRespondent.person_id, SurveyAnswer.named_person_id)
        .join(SurveyRespondent, SurveyRespondent.id == SurveyAnswer.respondent_id)
        .join(SurveyWave, SurveyWave.id == SurveyRespondent.wave_id)
        .where(SurveyWave.programme_id == programme_id)
    ).all()
    observations = []
    for wave_id, title, asked_on, months in waves:
        silent = frozenset(
            person
            for wave, person, answered_at in asked
            if wave == wave_id and answered_at is None and person in ids
        )
        if not any(wave == wave_id and person in ids for wave, person, _a in asked):
            continue
        arcs = frozenset(
            (source, target)
            for wave, source, target in named
            if wave == wave_id and source in ids and target in ids and source != target
        )
        observations.append(Observation(title, survey_day(asked_on, months), arcs, silent))
    return observations


def window_observation(scope: Scope, name: str, first: date, last: date) -> Observation:
    arcs = set()
    for tie in analysis.in_window(scope.ties, first, last):
        if tie.source != tie.target:
            arcs.add((tie.source, tie.target))
            if tie.mutual:
                arcs.add((tie.target, tie.source))
    return Observation(name, first, frozenset(arcs))


def _codes(values: Iterable[str | None]) -> dict[str, int]:
    return {value: number for number, value in enumerate(sorted(set(filter(None, values))), 1)}


README = """Network panel for RSiena, made by cop on {made}.

Actors: {actors} people of the programme, in the order of actors.csv (pseudonyms only).
Observations, in time order:
{observations}

Each waveN.txt is an actors x actors adjacency matrix: 1 a tie from the row's person to the
column's, 0 none, NA missing (the row of someone a survey asked who did not answer).
organisation.txt and country.txt hold one code per actor (NA where not recorded); codes.csv
says what each code stands for.

In R:
    library(RSiena)
    waves <- lapply(sprintf("wave%d.txt", 1:{count}), function(f) as.matrix(read.table(f)))
    ties <- sienaDependent(array(unlist(waves), dim = c({actors}, {actors}, {count})))
    organisation <- coCovar(scan("organisation.txt", na.strings = "NA"))
    country <- coCovar(scan("country.txt", na.strings = "NA"))
    data <- sienaDataCreate(ties, organisation, country)
"""


def panel_zip(
    people: list[analysis.Person],
    observations: list[Observation],
    name_of: Callable[[Hashable], str],
    made: date,
) -> bytes:
    """The zip: actors.csv, codes.csv, organisation.txt, country.txt, wave1.txt, ... and a
    README.txt saying how RSiena reads them."""
    actors = sorted(people, key=lambda person: name_of(person.id))
    position = {person.id: index for index, person in enumerate(actors)}
    organisations = _codes(person.organisation for person in actors)
    countries = _codes(person.country for person in actors)
    files: dict[str, str] = {}
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["row", "pseudonym"])
    for index, person in enumerate(actors, 1):
        writer.writerow([index, name_of(person.id)])
    files["actors.csv"] = table.getvalue()
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["covariate", "code", "stands_for"])
    for covariate, codes in (("organisation", organisations), ("country", countries)):
        for value, number in codes.items():
            writer.writerow([covariate, number, value])
    files["codes.csv"] = table.getvalue()
    files["organisation.txt"] = "".join(
        f"{organisations.get(person.organisation, 'NA') if person.organisation else 'NA'}\n"
        for person in actors
    )
    files["country.txt"] = "".join(
        f"{countries.get(person.country, 'NA') if person.country else 'NA'}\n" for person in actors
    )
    for number, observation in enumerate(observations, 1):
        matrix = [["0"] * len(actors) for _ in actors]
        for source, target in observation.arcs:
            if source in position and target in position:
                matrix[position[source]][position[target]] = "1"
        for person in observation.missing:
            if person in position:
                row = position[person]
                matrix[row] = ["NA"] * len(actors)
                matrix[row][row] = "0"
        files[f"wave{number}.txt"] = "".join(" ".join(row) + "\n" for row in matrix)
    files["README.txt"] = README.format(
        made=made.isoformat(),
        actors=len(actors),
        count=len(observations),
        observations="\n".join(
            f"  wave{number}.txt: {observation.name} ({observation.day.isoformat()})"
            + (f", {len(observation.missing)} did not answer" if observation.missing else "")
            for number, observation in enumerate(observations, 1)
        ),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
