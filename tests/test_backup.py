"""`cop backup` and `cop restore`: the round trip loses nothing, on the database the tests run on
(SQLite, or PostgreSQL in CI), and a restore refuses what it cannot do safely."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from cop.backup import BackupError, restore_backup, table_rows
from cop.demo import load_demo
from cop.directory.models import Person
from cop.documents.models import VisitDocument
from cop.documents.storage import store
from cop.documents.views import folder_of
from cop.extensions import db
from cop.reflections.models import Code
from cop.visits.models import Visit
from tests.conftest import _empty_all_tables


def snapshot() -> dict[str, list[dict]]:
    with db.engine.connect() as connection:
        return {
            table.name: list(table_rows(connection, table)) for table in db.metadata.sorted_tables
        }


@pytest.fixture
def demo_with_a_document(app: Flask) -> Path:
    load_demo(db.session)
    db.session.commit()
    visit = db.session.scalar(db.select(Visit))
    kept = store(io.BytesIO(b"%PDF the agenda"), "agenda.pdf", folder_of(visit.id), 1024)
    db.session.add(
        VisitDocument(
            visit_id=visit.id,
            title="Agenda",
            filename=kept.filename,
            stored_name=kept.stored_name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
        )
    )
    # A code moved under a code made after it: restoring in id order alone would break.
    late = Code(programme_id=visit.programme_id, name="Made later")
    db.session.add(late)
    db.session.flush()
    early = db.session.scalar(db.select(Code).order_by(Code.id))
    early.parent_id = late.id
    db.session.commit()
    return folder_of(visit.id) / kept.stored_name


def test_the_round_trip_loses_nothing(app: Flask, demo_with_a_document: Path, tmp_path) -> None:
    before = snapshot()
    archive = tmp_path / "cop.zip"
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", "--output", str(archive)])
    assert made.exit_code == 0, made.output
    stored = demo_with_a_document.read_bytes()
    db.session.remove()
    _empty_all_tables()
    demo_with_a_document.unlink()
    restored = runner.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert snapshot() == before
    assert demo_with_a_document.read_bytes() == stored
    # New rows are numbered after the restored ones.
    person = Person(name="New after restore", email="new@example.org")
    db.session.add(person)
    db.session.commit()
    assert person.id > max(row["id"] for row in before["person"])


def test_a_restore_refuses_a_database_that_is_not_empty(
    app: Flask, demo_with_a_document: Path, tmp_path
) -> None:
    archive = tmp_path / "cop.zip"
    app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    refused = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0
    assert "The database is not empty" in refused.output


def test_a_restore_refuses_another_version_or_a_broken_file(app: Flask, tmp_path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip file")
    with db.engine.begin() as connection, pytest.raises(BackupError, match="not a cop backup"):
        restore_backup(connection, db.metadata.sorted_tables, "x", tmp_path, broken)
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(older, "w") as archive:
        archive.writestr("manifest.json", '{"format": "cop-backup/1", "revision": "0000"}')
    with db.engine.begin() as connection, pytest.raises(BackupError, match="migration 0000"):
        restore_backup(connection, db.metadata.sorted_tables, "head", tmp_path, older)


def test_an_archive_cannot_write_outside_the_instance(app: Flask, tmp_path) -> None:
    from cop.cli import _current_revision

    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr(
            "manifest.json",
            f'{{"format": "cop-backup/1", "revision": "{_current_revision()}"}}',
        )
        archive.writestr("files/../../escaped.txt", "gotcha")
    instance = tmp_path / "restored-instance"
    instance.mkdir()
    with db.engine.begin() as connection, pytest.raises(BackupError, match="outside"):
        restore_backup(
            connection, db.metadata.sorted_tables, _current_revision(), instance, hostile
        )
    assert not (tmp_path / "escaped.txt").exists()
