"""The vendored libraries are shipped with their licences and a record of where they came from."""

from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "web" / "static" / "web" / "vendor"


def test_each_vendored_library_has_its_licence_and_is_recorded():
    readme = (VENDOR / "README.md").read_text()
    for script, licence, version in [
        ("htmx.min.js", "htmx.LICENSE", "2.0.11"),
        ("chart.umd.min.js", "chart.js.LICENSE.md", "4.6.1"),
    ]:
        assert (VENDOR / script).stat().st_size > 10_000
        assert (VENDOR / licence).exists()
        assert f"`{script}`" in readme and version in readme


def test_no_vendored_file_points_at_a_missing_source_map():
    for script in VENDOR.glob("*.js"):
        assert "sourceMappingURL" not in script.read_text()


STATIC_ROOTS = Path(__file__).resolve().parents[2]
APP_STYLESHEETS = [
    "dashboard/static/dashboard/overview.css",
    "dashboard/static/dashboard/supervision.css",
    "partner_portal/static/partner_portal/portal.css",
    "resident_portal/static/resident_portal/portal.css",
]
SHARED_RULES = [".visually-hidden {", ".section-nav ul {", ".filters {", ".badge--answered", ".badge--reopened"]


def test_the_shared_styles_live_in_the_shell_stylesheet_only():
    site = (VENDOR.parent / "site.css").read_text()
    for rule in SHARED_RULES:
        assert rule in site
        for stylesheet in APP_STYLESHEETS:
            assert rule not in (STATIC_ROOTS / stylesheet).read_text(), (rule, stylesheet)


def test_the_favicon_is_a_small_svg():
    icon = (VENDOR.parent / "favicon.svg").read_text()
    assert icon.startswith("<svg") and len(icon) < 2_000


def test_favicon_ico_leads_to_the_icon_the_pages_link(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("web/favicon.svg")
