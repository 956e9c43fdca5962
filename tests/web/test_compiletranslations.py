"""compiletranslations builds .mo files from the project's .po files with Babel."""

import gettext

from django.core.management import call_command

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "Dashboard"
msgstr "工作台"
"""


def test_it_succeeds_when_there_is_nothing_to_compile(settings, tmp_path, capsys):
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compiletranslations")
    assert "0 translation catalogue(s) compiled." in capsys.readouterr().out


def test_each_po_file_gets_a_mo_file_gettext_can_read(settings, tmp_path):
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(PO, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]

    call_command("compiletranslations")

    with (folder / "django.mo").open("rb") as mo_file:
        assert gettext.GNUTranslations(mo_file).gettext("Dashboard") == "工作台"
