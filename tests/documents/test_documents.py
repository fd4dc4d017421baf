"""Documents members share for a visit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cop.documents.models import VisitDocument
from cop.documents.storage import clean_filename
from cop.extensions import db
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


@pytest.fixture
def config_overrides() -> dict:
    return {"DOCUMENT_MAX_BYTES": 1024}


def members(make: Factory):
    visit = make.visit()
    lead, participant, host = make.user(), make.user(), make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, participant.person)
    make.member(visit, host.person, MembershipRole.HOST)
    return visit, lead, participant, host


def upload(client, visit, name: str, data: bytes, title: str = ""):
    return client.post(
        f"/visits/{visit.id}/documents",
        data={"file": (io.BytesIO(data), name), "title": title},
        content_type="multipart/form-data",
    )


def test_a_member_shares_a_file_and_other_members_download_it(app, make) -> None:
    visit, lead, participant, host = members(make)
    client = app.test_client()
    sign_in(client, participant)
    response = upload(client, visit, "Agenda 8-9 Dec.pdf", b"%PDF-1.4 agenda", "Agenda")
    assert response.status_code == 302
    document = db.session.scalar(db.select(VisitDocument))
    assert (document.filename, document.content_type, document.size) == (
        "Agenda 8-9 Dec.pdf",
        "application/pdf",
        15,
    )
    stored = list((Path(app.instance_path) / "documents" / str(visit.id)).iterdir())
    assert [path.name for path in stored] == [document.stored_name]

    other = app.test_client()
    sign_in(other, host)
    assert "Agenda" in visible_text(
        other.get(f"/visits/{visit.id}/documents").get_data(as_text=True)
    )
    download = other.get(f"/visits/{visit.id}/documents/{document.id}")
    assert download.get_data() == b"%PDF-1.4 agenda"
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]


def test_only_members_can_open_a_visits_documents(app, make) -> None:
    visit, lead, participant, host = members(make)
    client = app.test_client()
    sign_in(client, lead)
    upload(client, visit, "letter.docx", b"PK invitation")
    document = db.session.scalar(db.select(VisitDocument))
    outsider = app.test_client()
    sign_in(outsider, make.user())
    assert outsider.get(f"/visits/{visit.id}/documents/{document.id}").status_code == 403
    other_visit = make.visit()
    assert client.get(f"/visits/{other_visit.id}/documents/{document.id}").status_code == 403
    admin = app.test_client()
    sign_in(admin, make.user(admin=True, with_person=False))
    wrong_visit = f"/visits/{other_visit.id}/documents/{document.id}"
    assert admin.get(wrong_visit).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("run-me.exe", b"MZ", "This kind of file cannot be shared here"),
        ("page.html", b"<script>", "This kind of file cannot be shared here"),
        ("big.pdf", b"x" * 2048, "The file is too large."),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_refused_files_are_explained_and_leave_nothing_behind(app, make, name, data, message):
    visit, lead, *_ = members(make)
    client = app.test_client()
    sign_in(client, lead)
    response = upload(client, visit, name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(VisitDocument.id))) == 0
    folder = Path(app.instance_path) / "documents" / str(visit.id)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_no_file_chosen_is_explained(client, make) -> None:
    visit, lead, *_ = members(make)
    sign_in(client, lead)
    response = client.post(f"/visits/{visit.id}/documents", data={"title": "x"})
    assert response.status_code == 400
    assert "Choose a file to upload" in response.get_data(as_text=True)


def test_whoever_shared_it_or_a_lead_can_remove_it(app, make) -> None:
    visit, lead, participant, host = members(make)
    sharer = app.test_client()
    sign_in(sharer, participant)
    upload(sharer, visit, "slides.pptx", b"PK slides")
    document = db.session.scalar(db.select(VisitDocument))
    other = app.test_client()
    sign_in(other, host)
    assert other.post(f"/visits/{visit.id}/documents/{document.id}/delete").status_code == 403
    assert sharer.post(f"/visits/{visit.id}/documents/{document.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(VisitDocument.id))) == 0
    folder = Path(app.instance_path) / "documents" / str(visit.id)
    assert list(folder.iterdir()) == []


def test_filenames_lose_folders_and_control_characters() -> None:
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("C:\\Users\\x\\Agenda.pdf") == "Agenda.pdf"
    assert clean_filename('a"b<c>\x00.pdf') == "abc.pdf"
    assert clean_filename("...") == "document"
