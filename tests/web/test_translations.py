"""The Simplified Chinese catalogue is complete, keeps every placeholder, and is current with the code."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.needs import missing

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>")
# What `make messages` passes to makemessages; the copy below is made the same way.
SKIPPED_FOLDERS = {".venv", "var", "tests", "staticfiles", ".git", "node_modules", "__pycache__"}


def messages():
    with PO.open("rb") as po_file:
        catalogue = read_po(po_file)
    return [message for message in catalogue if message.id]


def first(value):
    return value[0] if isinstance(value, tuple) else value


def test_every_message_has_a_chinese_translation():
    untranslated = [first(m.id) for m in messages() if not first(m.string) or m.fuzzy]
    assert untranslated == []


def source_text(message):
    # Chinese has one plural form, used for every count: it follows the English plural.
    return message.id[1] if isinstance(message.id, tuple) else message.id


def test_every_translation_keeps_the_placeholders_of_its_message():
    broken = [
        first(m.id)
        for m in messages()
        if sorted(PLACEHOLDER.findall(source_text(m))) != sorted(PLACEHOLDER.findall(first(m.string)))
    ]
    assert broken == []


def _xgettext_or_skip():
    if shutil.which("xgettext"):
        return
    missing(
        "xgettext (GNU gettext) is not installed; CI installs it and runs this check.", required_by="REQUIRE_GETTEXT"
    )


def test_the_catalogue_holds_every_translatable_string_of_the_code(tmp_path):
    _xgettext_or_skip()
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT, copy, ignore=lambda folder, names: [n for n in names if n in SKIPPED_FOLDERS or n.endswith(".mo")]
    )
    environment = {**os.environ, "DEBUG": "1", "VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--add-location",
            "file",
            "--no-obsolete",
            *[f"--ignore={folder}" for folder in SKIPPED_FOLDERS],
        ],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    with (copy / PO.relative_to(ROOT)).open("rb") as po_file:
        current = {(first(m.id), m.context) for m in read_po(po_file) if m.id}
    committed = {(first(m.id), m.context) for m in messages()}
    assert current - committed == set(), "run `make messages` and translate the new strings"
    assert committed - current == set(), "run `make messages` to drop strings the code no longer uses"


@pytest.mark.django_db
def test_the_login_page_speaks_chinese_to_a_chinese_browser(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    page = response.content.decode()
    assert '<html lang="zh-hans"' in page
    assert "登录" in page
