"""bin/backup and bin/restore: a dump and the uploads restored into a fresh database and folder hold every record.

PostgreSQL only (the scripts call pg_dump and pg_restore); skipped on SQLite unless
REQUIRE_SERVICES=1, where it fails instead. The test creates the fresh database and drops it.
"""

import hashlib
import os
import shutil
import subprocess
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg2 import sql

from common.actors import TRUSTED
from coproduction.services.claims import checkin_record
from coproduction.services.reports import report_submit
from demo.seed import seed_demo
from tests.coproduction.report_fixtures import march, media, pdf, png, provider, xlsx
from tests.factories import ClaimFactory, TaskFactory
from tests.needs import missing
from tests.scratch_databases import database_url, scratch_database

BIN = Path(settings.BASE_DIR) / "bin"


@pytest.fixture(autouse=True)
def postgresql_only():
    """The scripts work on PostgreSQL: elsewhere the tests are skipped, or fail when CI requires the services."""
    reason = None
    if connection.vendor != "postgresql":
        reason = "backups are of PostgreSQL: run with DATABASE_URL=postgres://..."
    elif shutil.which("pg_dump") is None and not os.environ.get("PG_BIN"):
        reason = "pg_dump is not installed (apt-get install postgresql-client)"
    if reason:
        missing(reason)


pytestmark = [pytest.mark.django_db(transaction=True)]


def run(script: str, *args: str, url: str, media: Path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), **env}
    return subprocess.run([str(BIN / script), *args], env=environment, capture_output=True, text=True, timeout=300)


def table_fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows, each row as text, in a fixed order."""
    with closing(psycopg2.connect(url)) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            " AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        tables = cursor.fetchall()
        fingerprints = {}
        for schema, table in tables:
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
                ).format(sql.Identifier(schema, table))
            )
            fingerprints[f"{schema}.{table}"] = cursor.fetchone()
    return fingerprints


def file_checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def fresh_database():
    """A new empty database on the test server, dropped afterwards."""
    with scratch_database("restore") as url:
        yield url


@pytest.fixture
def uploaded(provider):
    """A provider's report with two files and a resident's check-in with a photo."""
    report_submit(
        project=provider.project,
        organisation=provider.organisation,
        user=provider.staff,
        attachments=[pdf("收据 ../../x.pdf"), xlsx()],
        **march(),
    )
    claim = ClaimFactory(task=TaskFactory(project=provider.project))
    checkin_record(claim=claim, on=timezone.localdate(), photo=png(), user=TRUSTED)


@pytest.fixture
def seeded(uploaded):
    """The demo communities too, so that nearly every table has rows."""
    seed_demo(log=lambda message: None)


def backed_up(media, tmp_path) -> Path:
    backup = run(
        "backup", "--dir", str(tmp_path / "backups"), url=database_url(connection.settings_dict["NAME"]), media=media
    )
    assert backup.returncode == 0, backup.stderr
    return Path(backup.stdout.strip())


def test_a_backup_restored_into_a_fresh_database_and_folder_holds_every_row_and_file(
    seeded, media, fresh_database, tmp_path
):
    source_url = database_url(connection.settings_dict["NAME"])

    folder = backed_up(media, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "manifest.txt",
        "media.sha256",
        "media.tar.gz",
        "row-counts.tsv",
    ]
    restored_media = tmp_path / "restored" / "media"
    restore = run("restore", str(folder), url=fresh_database, media=restored_media)
    assert restore.returncode == 0, restore.stderr

    original, restored = table_fingerprints(source_url), table_fingerprints(fresh_database)
    assert restored == original
    assert original["public.coproduction_reportattachment"][0] == 2
    assert file_checksums(restored_media) == file_checksums(media)
    assert len(file_checksums(media)) == 3


def test_the_manifest_counts_the_rows_of_every_table_as_dumped(uploaded, media, tmp_path):
    source_url = database_url(connection.settings_dict["NAME"])

    folder = backed_up(media, tmp_path)

    manifest = dict(line.split("\t") for line in (folder / "row-counts.tsv").read_text().splitlines())
    assert {table: int(rows) for table, rows in manifest.items()} == {
        table: rows for table, (rows, _md5) in table_fingerprints(source_url).items()
    }
    files = (folder / "media.sha256").read_text()
    assert "收据" not in files and files.count(".pdf") == 1 and files.count(".png") == 1


def test_a_restore_over_a_database_with_tables_is_refused_without_force(uploaded, media, fresh_database, tmp_path):
    folder = backed_up(media, tmp_path)
    assert run("restore", str(folder), url=fresh_database, media=tmp_path / "first").returncode == 0

    again = run("restore", str(folder), url=fresh_database, media=tmp_path / "second")

    assert again.returncode == 1
    assert "already holds" in again.stderr and "--force" in again.stderr
    assert not (tmp_path / "second").exists()
    forced = run("restore", "--force", str(folder), url=fresh_database, media=tmp_path / "first")
    assert forced.returncode == 0, forced.stderr
    assert table_fingerprints(fresh_database) == table_fingerprints(database_url(connection.settings_dict["NAME"]))


def test_a_damaged_backup_is_refused_before_anything_is_touched(uploaded, media, fresh_database, tmp_path):
    folder = backed_up(media, tmp_path)
    with open(folder / "database.dump", "r+b") as dump:
        dump.seek(100)
        dump.write(b"\x00" * 16)

    restore = run("restore", str(folder), url=fresh_database, media=tmp_path / "restored")

    assert restore.returncode == 1 and "damaged" in restore.stderr
    assert table_fingerprints(fresh_database) == {}


def test_a_restore_whose_rows_differ_from_the_manifest_is_rolled_back(uploaded, media, fresh_database, tmp_path):
    folder = backed_up(media, tmp_path)
    counts = (
        (folder / "row-counts.tsv")
        .read_text()
        .replace("public.coproduction_reportattachment\t2", "public.coproduction_reportattachment\t3")
    )
    (folder / "row-counts.tsv").write_text(counts)
    subprocess.run(
        "sha256sum database.dump media.tar.gz row-counts.tsv media.sha256 manifest.txt > SHA256SUMS",
        shell=True,
        cwd=folder,
        check=True,
    )

    restore = run("restore", str(folder), url=fresh_database, media=tmp_path / "restored")

    assert restore.returncode == 1
    assert "public.coproduction_reportattachment: 2 rows restored, 3 backed up" in restore.stderr
    assert table_fingerprints(fresh_database) == {}
    assert not (tmp_path / "restored").exists()
