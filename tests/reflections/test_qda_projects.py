"""REFI-QDA projects out and in: a programme's coded reflections leave as a .qdpx that the
standard's layout accepts, filtered by each writer's consent; codebooks and projects written by
other programs come in with their nesting, accented names and GUIDs; and a project exported,
imported into a fresh installation and exported again holds the same codes, sources and coded
spans."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree as ET
from flask import Flask

from cop import PROJECT_ROOT, create_app
from cop.extensions import db
from cop.reflections.models import Consent, Phase, Reflection
from cop.research import qdpx
from cop.research.models import Code, CodedSegment
from cop.visits.models import ProgrammeResearcher
from tests.conftest import TEST_HASH_METHOD, Factory, sign_in
from tests.reflections.conftest import Study

N = "{urn:QDA-XML:project:1.0}"
TEXT = "Paris has a named PB officer in every department."


def resourcing() -> int:
    return db.session.scalar(db.select(Code.id).where(Code.default_key == "resourcing"))


def researcher(app: Flask, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def download(client, programme_id: int, names: bool = False) -> zipfile.ZipFile:
    answer = client.get(f"/programmes/{programme_id}/project.qdpx" + ("?names=1" if names else ""))
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(answer.data))


def spans(archive: zipfile.ZipFile) -> set[tuple[str, str, str]]:
    """(source name, coded words, code path) of every coding in a .qdpx."""
    root = ET.fromstring(archive.read("project.qde"))
    paths = {}

    def walk(element, parents=()):
        for code in element.findall(f"{N}Code"):
            path = (*parents, code.get("name"))
            paths[code.get("guid")] = " › ".join(path)
            walk(code, path)

    walk(root.find(f"{N}CodeBook/{N}Codes"))
    found = set()
    for source in root.iter(f"{N}TextSource"):
        text = archive.read("sources/" + source.get("plainTextPath").split("//")[1]).decode()
        for selection in source.iter(f"{N}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for ref in selection.iter(f"{N}CodeRef"):
                found.add((source.get("name"), text[start:end], paths[ref.get("targetGUID")]))
    return found


def test_the_export_follows_the_standard_and_each_writers_consent(app: Flask, study: Study) -> None:
    secret = study.reflection(Consent.PRIVATE, texts=("Only for me.",))
    draft = study.reflection(Consent.NAMED, writer="colleague", submitted=False, texts=("Draft",))
    hidden = study.reflection(Consent.PSEUDONYMISED, texts=(TEXT,))
    named = study.reflection(Consent.NAMED, writer="colleague", texts=("Votes happen online.",))
    client = researcher(app, study.users["researcher"])
    url = f"/visits/{study.visit.id}/reflections/{hidden.id}/passages/{hidden.passages[0].id}/code"
    client.post(url, data={"code_id": resourcing(), "quote": "a named PB officer"})

    archive = download(client, study.programme_id)
    xml = archive.read("project.qde")
    root = ET.fromstring(xml)
    assert qdpx.structure_problems(root) == []
    texts = [archive.read(name).decode() for name in archive.namelist() if name != "project.qde"]
    assert any(TEXT in text for text in texts) and any("Votes happen online." in t for t in texts)
    assert not any("Only for me." in text or "Draft" in text for text in texts)
    writer = study.users["writer"].display_name
    colleague = study.users["colleague"].display_name
    assert writer.encode() not in xml and colleague.encode() not in xml
    case_names = [case.get("name") for case in root.iter(f"{N}Case")]
    assert len(case_names) == 2 and all(name.startswith("P-") for name in case_names)
    assert next(iter(spans(archive)))[1:] == (
        "a named PB officer",
        "Learning themes of the visit › Resourcing",
    )
    assert [user.get("name") for user in root.iter(f"{N}User")] == [
        study.users["researcher"].display_name
    ]
    # Asked for names: the colleague agreed to be named, the writer did not.
    named_root = ET.fromstring(download(client, study.programme_id, names=True).read("project.qde"))
    cases = {case.get("name") for case in named_root.iter(f"{N}Case")}
    assert colleague in cases and writer not in cases
    assert secret.id and draft.id and named.id


def test_guids_stay_the_same_from_one_export_to_the_next(app: Flask, study: Study) -> None:
    study.reflection(Consent.NAMED, texts=(TEXT,))
    client = researcher(app, study.users["researcher"])
    first = download(client, study.programme_id).read("project.qde")
    second = download(client, study.programme_id).read("project.qde")

    def guids(xml: bytes) -> list[str]:
        root = ET.fromstring(xml)
        return [e.get("guid") for e in root.iter() if e.get("guid") and e.tag != f"{N}Coding"]

    assert guids(first) == guids(second)


def write_project(tmp_path: Path, xml: str, sources: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", xml)
        for name, text in sources.items():
            archive.writestr(f"sources/{name}", text)
    return buffer.getvalue()


CODE_A = "7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f50"
CODE_B = "7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f51"
SOURCE = "7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f52"
USER = "7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f53"
OTHER_USER = "7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f54"
QUALCODER_LIKE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Étude" origin="QualCoder 3.5">
  <Users>
    <User guid="{USER}" name="Ruth H"/>
    <User guid="{OTHER_USER}" name="Someone elsewhere"/>
  </Users>
  <CodeBook><Codes>
    <Code guid="{CODE_A}" name="Démocratie participative" isCodable="true" color="#AA3300">
      <Description>Quand les citoyens décident.</Description>
      <Code guid="{CODE_B}" name="Budget à l’échelle de la ville" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f55" name="Élodie">
    <SourceRef targetGUID="{SOURCE}"/></Case></Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="Entretien 1" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f56" startPosition="0"
          endPosition="5">
        <Coding guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f57" creatingUser="{USER}">
          <CodeRef targetGUID="{CODE_B}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f58" startPosition="6"
          endPosition="11" creatingUser="{OTHER_USER}">
        <Coding guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f59"><CodeRef targetGUID="{CODE_A}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f5a" startPosition="40"
          endPosition="900">
        <Coding guid="7e3c0f6a-2d5b-4c1e-9a8f-0b1c2d3e4f5b"><CodeRef targetGUID="{CODE_A}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


def import_file(client, programme_id: int, data: bytes, name: str, **fields):
    form = {"phase": "after", "consent": "pseudonymised", **fields}
    form["file"] = (io.BytesIO(data), name)
    return client.post(
        f"/programmes/{programme_id}/import", data=form, content_type="multipart/form-data"
    )


def test_a_project_from_another_program_comes_in_with_its_codes_sources_and_codings(
    app: Flask, study: Study, tmp_path: Path
) -> None:
    ruth = study.users["researcher"]
    ruth.person.name = "Ruth H"
    db.session.commit()
    assert ruth.display_name == "Ruth H"
    data = write_project(tmp_path, QUALCODER_LIKE, {f"{SOURCE}.txt": "Voter en ligne, ça marche."})
    client = researcher(app, ruth)

    answer = import_file(client, study.programme_id, data, "etude.qdpx", visit_id=study.visit.id)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, page
    assert "2 codes added" in page and "1 text source added as a reflection" in page
    assert "2 codings added" in page and "Someone elsewhere" in page
    assert "lies outside its text of 26 characters" in page

    parent = db.session.scalar(db.select(Code).where(Code.qda_guid == CODE_A))
    child = db.session.scalar(db.select(Code).where(Code.qda_guid == CODE_B))
    assert parent.name == "Démocratie participative" and parent.colour == "#AA3300"
    assert parent.definition == "Quand les citoyens décident." and child.parent_id == parent.id
    reflection = db.session.scalar(db.select(Reflection).where(Reflection.qda_guid == SOURCE))
    assert reflection.qda_name == "Entretien 1" and reflection.person.name == "Élodie"
    assert reflection.consent is Consent.PSEUDONYMISED and reflection.phase is Phase.AFTER
    coded = {
        (s.quote, s.code.name, s.coder_id)
        for s in db.session.scalars(
            db.select(CodedSegment).where(CodedSegment.qda_guid.is_not(None))
        )
    }
    assert coded == {
        ("Voter", "Budget à l’échelle de la ville", ruth.id),
        ("en li", "Démocratie participative", ruth.id),  # the other coder's, now the importer's
    }
    # The same file again adds nothing twice.
    again = import_file(client, study.programme_id, data, "etude.qdpx", visit_id=study.visit.id)
    assert "0 codes added, 2 already here" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).where(Reflection.qda_guid == SOURCE)) == 1


def test_a_codebook_comes_in_nested_with_accents_and_guids(app: Flask, study: Study) -> None:
    codebook = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo"><Codes>
  <Code guid="{CODE_A}" name="Thèmes" isCodable="false">
    <Code guid="{CODE_B}" name="Coût élevé" isCodable="true"><Description>Prix</Description></Code>
  </Code>
</Codes></CodeBook>""".encode()
    client = researcher(app, study.users["visit_researcher"])
    answer = import_file(client, study.programme_id, codebook, "codes.qdc")
    assert answer.status_code == 200 and "2 codes added" in answer.get_data(as_text=True)
    child = db.session.scalar(db.select(Code).where(Code.qda_guid == CODE_B))
    assert child.name == "Coût élevé" and child.definition == "Prix"
    assert db.session.get(Code, child.parent_id).name == "Thèmes"
    # Out again, the codebook keeps the GUIDs it came with.
    exported = researcher(app, study.users["visit_researcher"]).get(
        f"/programmes/{study.programme_id}/codebook.qdc"
    )
    assert CODE_A.encode() in exported.data and "Coût élevé".encode() in exported.data


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello", "notes.txt", "neither a REFI-QDA project"),
        (b"PK\x03\x04broken", "broken.qdpx", "neither a REFI-QDA project"),
        (None, "empty.qdpx", "holds no project.qde"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook>&a;</CodeBook>',
            "entities.qdc",
            "cannot be read",
        ),
        (b"<Other/>", "other.qdc", "not a REFI-QDA project or codebook"),
    ],
)
def test_files_that_are_not_refi_qda_are_refused_with_a_reason(
    app: Flask, study: Study, data, name: str, message: str
) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "no project here")
        data = buffer.getvalue()
    codes_before = db.session.scalar(db.select(db.func.count(Code.id)))
    client = researcher(app, study.users["researcher"])
    answer = import_file(client, study.programme_id, data, name, visit_id=study.visit.id)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Code.id))) == codes_before


def test_a_project_with_sources_needs_a_visit_of_the_programme(
    app: Flask, study: Study, tmp_path: Path
) -> None:
    empty = Factory().programme()
    user = study.users["researcher"]
    db.session.add(ProgrammeResearcher(programme_id=empty.id, user_id=user.id))
    db.session.commit()
    data = write_project(tmp_path, QUALCODER_LIKE, {f"{SOURCE}.txt": "Voter en ligne, ça marche."})
    answer = import_file(researcher(app, user), empty.id, data, "etude.qdpx")
    assert answer.status_code == 400 and "plan a visit in this programme first" in answer.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(Code).where(Code.qda_guid == CODE_A)) is None


def test_the_structure_check_names_what_departs_from_the_standard() -> None:
    xml = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="x">
      <Sources><TextSource guid="not-a-guid" name="s">
        <PlainTextSelection guid="{SOURCE}" startPosition="9" endPosition="2">
          <Coding guid="{USER}"><CodeRef targetGUID="{CODE_A}"/></Coding>
        </PlainTextSelection>
      </TextSource></Sources>
      <Users><User guid="{OTHER_USER}" name="late"/></Users>
      <CodeBook><Codes><Code guid="{CODE_B}" name="c" color="red"/></Codes></CodeBook>
    </Project>"""
    problems = "\n".join(qdpx.structure_problems(ET.fromstring(xml)))
    assert "'not-a-guid' is not a GUID" in problems
    assert "positions '9'-'2' are not a span" in problems
    assert "Users comes after what should follow it" in problems
    assert "Code has no isCodable" in problems and "colour 'red' is not #RRGGBB" in problems
    assert f"refers to the code {CODE_A}, which the codebook lacks" in problems
    assert qdpx.structure_problems(ET.fromstring("<Project/>")) == [
        "the root element is Project, not Project in urn:QDA-XML:project:1.0"
    ]


def test_export_import_into_a_fresh_installation_and_export_again_keeps_everything(
    app: Flask, study: Study, tmp_path: Path
) -> None:
    first, second = study.users["researcher"], study.users["visit_researcher"]
    answers = study.reflection(Consent.NAMED, texts=(TEXT, "Élus et habitants décident ensemble."))
    study.reflection(Consent.PSEUDONYMISED, writer="colleague", texts=("Votes happen online.",))
    for coder, passage, quote in (
        (first, answers.passages[0], "a named PB officer"),
        (second, answers.passages[0], "every department"),
        (first, answers.passages[1], "habitants décident"),
    ):
        url = f"/visits/{study.visit.id}/reflections/{answers.id}/passages/{passage.id}/code"
        researcher(app, coder).post(url, data={"code_id": resourcing(), "quote": quote})
    exported = download(researcher(app, first), study.programme_id)
    original = spans(exported)
    assert len(original) == 3
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as copy:
        for name in exported.namelist():
            copy.writestr(name, exported.read(name))

    with fresh_installation_for(tmp_path) as other:
        make = Factory()
        programme = make.programme(name="Imported")
        visit = make.visit(programme_id=programme.id)
        importer = make.user(researcher=True)
        db.session.add(ProgrammeResearcher(programme_id=programme.id, user_id=importer.id))
        db.session.commit()
        client = researcher(other, importer)
        answer = import_file(client, programme.id, data.getvalue(), "p.qdpx", visit_id=visit.id)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        again = download(client, programme.id)

    assert qdpx.structure_problems(ET.fromstring(again.read("project.qde"))) == []
    assert spans(again) == original
    texts = lambda archive: sorted(  # noqa: E731
        archive.read(n).decode() for n in archive.namelist() if n.startswith("sources/")
    )
    assert texts(again) == texts(exported)
    guids = lambda archive: sorted(  # noqa: E731
        code.get("guid") for code in ET.fromstring(archive.read("project.qde")).iter(f"{N}Code")
    )
    # The fresh installation's own default codebook comes along; every code of the first is
    # there under its GUID.
    assert set(guids(exported)) <= set(guids(again))


def fresh_installation_for(tmp_path: Path):
    from contextlib import contextmanager

    @contextmanager
    def installation():
        from flask_migrate import upgrade

        other = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "another-installation",
                "INSTANCE_PATH": str(tmp_path / "other-instance"),
                "MAIL_WRITE_TO_FOLDER": False,
                "RATELIMIT_ENABLED": False,
                "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
            }
        )
        with other.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            try:
                yield other
            finally:
                db.session.remove()
                db.engine.dispose()

    return installation()
