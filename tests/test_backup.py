"""`cop backup` and `cop restore`: the round trip loses nothing, on the database the tests run on
(SQLite, or PostgreSQL in CI), and a restore refuses what it cannot do safely."""

from __future__ import annotations

import io
import json
import re
import zipfile
from hashlib import sha256
from pathlib import Path

import pytest
from flask import Flask

from cop.backup import BackupError, Limits, restore_backup, table_rows
from cop.demo import load_demo
from cop.directory.models import Person
from cop.documents.models import VisitDocument
from cop.documents.storage import store
from cop.extensions import db
from cop.research.models import Code
from cop.viewhelpers import folder_of
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
        archive.writestr("manifest.json", '{"format": "cop-backup/2", "revision": "0000"}')
    with db.engine.begin() as connection, pytest.raises(BackupError, match="migration 0000"):
        restore_backup(connection, db.metadata.sorted_tables, "head", tmp_path, older)
    unverified = tmp_path / "unverified.zip"
    with zipfile.ZipFile(unverified, "w") as archive:
        archive.writestr("manifest.json", '{"format": "cop-backup/1", "revision": "0000"}')
    with db.engine.begin() as connection, pytest.raises(BackupError, match="checksums"):
        restore_backup(connection, db.metadata.sorted_tables, "0000", tmp_path, unverified)


class TestCraftedArchives:
    """An archive someone edited: whatever it holds, the restore refuses it whole, writes
    nothing outside the stored files, and leaves the database empty."""

    @pytest.fixture
    def genuine(self, app: Flask, demo_with_a_document: Path, tmp_path) -> Path:
        archive = tmp_path / "genuine.zip"
        made = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
        assert made.exit_code == 0, made.output
        db.session.remove()
        _empty_all_tables()
        demo_with_a_document.unlink()
        return archive

    @staticmethod
    def rewrite(source: Path, target: Path, change) -> Path:
        """Copy an archive, letting ``change(name, data, manifest)`` return new bytes (or None
        to drop the member); returns the new archive, manifest written last."""
        with zipfile.ZipFile(source) as original:
            manifest = json.loads(original.read("manifest.json"))
            members = {n: original.read(n) for n in original.namelist() if n != "manifest.json"}
        extra = {}
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for name, data in members.items():
                changed = change(name, data, manifest, extra)
                if changed is not None:
                    out.writestr(name, changed)
            for name, data in extra.items():
                out.writestr(name, data)
            out.writestr("manifest.json", json.dumps(manifest))
        return target

    def refused(self, app: Flask, archive: Path, match: str) -> None:
        result = app.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code != 0
        assert re.search(match, result.output), result.output
        db.session.remove()
        assert snapshot_is_empty()

    def test_settings_and_keys_are_never_written(self, app: Flask, genuine: Path, tmp_path) -> None:
        instance = Path(app.instance_path)
        for planted in ("config.py", "secret_key"):

            def plant(name, data, manifest, extra, planted=planted):
                if name == "tables/person.jsonl":
                    body = b"SECRET_KEY = 'attacker'\nimport os; os.system('id')\n"
                    extra[f"files/{planted}"] = body
                    manifest["files"].append(
                        {"name": planted, "size": len(body), "sha256": sha256(body).hexdigest()}
                    )
                return data

            crafted = self.rewrite(genuine, tmp_path / f"{planted}.zip", plant)
            self.refused(app, crafted, "never settings or keys")
            assert not (instance / "config.py").exists()
            assert not (instance / planted).exists() or planted == "secret_key"

    def test_a_member_the_manifest_does_not_list_is_refused(
        self, app: Flask, genuine: Path, tmp_path
    ) -> None:
        def smuggle(name, data, manifest, extra):
            extra["files/documents/1/../../config.py"] = b"SECRET_KEY = 'attacker'"
            extra["../escaped.txt"] = b"gotcha"
            return data

        crafted = self.rewrite(genuine, tmp_path / "smuggled.zip", smuggle)
        self.refused(app, crafted, "does not account for|outside")
        assert not (Path(app.instance_path) / "config.py").exists()
        assert not (tmp_path / "escaped.txt").exists()

    def test_a_dropped_table_is_refused(self, app: Flask, genuine: Path, tmp_path) -> None:
        def drop(name, data, manifest, extra):
            if name == "tables/reflection.jsonl":
                del manifest["tables"]["reflection"]
                return None
            return data

        self.refused(app, self.rewrite(genuine, tmp_path / "dropped.zip", drop), "lacks tables")

    def test_a_table_file_missing_from_the_archive_is_refused(
        self, app: Flask, genuine: Path, tmp_path
    ) -> None:
        def lose(name, data, manifest, extra):
            return None if name == "tables/contact.jsonl" else data

        self.refused(app, self.rewrite(genuine, tmp_path / "lost.zip", lose), "lacks tables/")

    def test_a_cut_row_is_refused(self, app: Flask, genuine: Path, tmp_path) -> None:
        def cut(name, data, manifest, extra):
            if name == "tables/person.jsonl":
                return b"\n".join(data.split(b"\n")[:-1])
            return data

        self.refused(app, self.rewrite(genuine, tmp_path / "cut.zip", cut), "checksum")

        def cut_and_rehash(name, data, manifest, extra):
            if name == "tables/person.jsonl":
                shorter = b"\n".join(data.split(b"\n")[:-1])
                manifest["tables"]["person"]["sha256"] = sha256(shorter).hexdigest()
                return shorter
            return data

        crafted = self.rewrite(genuine, tmp_path / "rehashed.zip", cut_and_rehash)
        self.refused(app, crafted, "the manifest says")

    def test_a_changed_document_is_refused(self, app: Flask, genuine: Path, tmp_path) -> None:
        def swap(name, data, manifest, extra):
            return b"%PDF something else" if name.startswith("files/documents/") else data

        self.refused(app, self.rewrite(genuine, tmp_path / "swapped.zip", swap), "checksum")
        stored = (Path(app.instance_path) / "documents").rglob("*")
        assert not [path for path in stored if path.is_file()]

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(
        self, app: Flask, genuine: Path, tmp_path
    ) -> None:
        from cop.cli import _current_revision

        bomb = b"\0" * (64 * 1024 * 1024)  # compresses to a few tens of kilobytes

        def inflate(name, data, manifest, extra):
            if name == "tables/person.jsonl":
                manifest["tables"]["person"]["sha256"] = sha256(bomb).hexdigest()
                return bomb
            return data

        crafted = self.rewrite(genuine, tmp_path / "bomb.zip", inflate)
        assert crafted.stat().st_size < 2 * 1024 * 1024
        # One member too large, or all of them together: refused while unpacking, inside the
        # transaction, which then rolls back.
        for limits, refusal in (
            (Limits(member_bytes=8 * 1024 * 1024), "larger than"),
            (Limits(total_bytes=16 * 1024 * 1024), "more than"),
        ):
            with pytest.raises(BackupError, match=refusal), db.engine.begin() as connection:
                restore_backup(
                    connection,
                    db.metadata.sorted_tables,
                    _current_revision(),
                    Path(app.instance_path),
                    crafted,
                    limits,
                )
        assert snapshot_is_empty()


def snapshot_is_empty() -> bool:
    return not any(rows for rows in snapshot().values())


def test_the_archive_and_stored_files_are_readable_by_cop_only(
    app: Flask, demo_with_a_document: Path, tmp_path
) -> None:
    archive = tmp_path / "cop.zip"
    app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert archive.stat().st_mode & 0o077 == 0
    assert demo_with_a_document.stat().st_mode & 0o077 == 0
    assert demo_with_a_document.parent.stat().st_mode & 0o077 == 0
