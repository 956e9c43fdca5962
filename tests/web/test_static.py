"""The vendored libraries are shipped with their licences and a record of where they came from."""
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "web" / "static" / "web" / "vendor"


def test_each_vendored_library_has_its_licence_and_is_recorded():
    readme = (VENDOR / "README.md").read_text()
    for script, licence, version in [
        ("htmx.min.js", "htmx.LICENSE", "2.0.11"), ("chart.umd.min.js", "chart.js.LICENSE.md", "4.6.1"),
    ]:
        assert (VENDOR / script).stat().st_size > 10_000
        assert (VENDOR / licence).exists()
        assert f"`{script}`" in readme and version in readme


def test_no_vendored_file_points_at_a_missing_source_map():
    for script in VENDOR.glob("*.js"):
        assert "sourceMappingURL" not in script.read_text()
