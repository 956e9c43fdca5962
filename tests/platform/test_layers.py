"""The layers contract of `make lint` (pyproject.toml, import-linter) is live: it holds for the code, and
an import from a lower app into a higher one breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    "config",
    "common",
    "audit",
    "partners",
    "jobs",
    "service_list",
    "coproduction",
    "accountability",
    "evaluation",
    "notifications",
    "demo",
    "web",
    "dashboard",
    "partner_portal",
    "resident_portal",
    "transparency",
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    # requirements-dev.txt pins import-linter, and `make test` installs it: a missing one is a failure.
    assert LINT_IMPORTS.exists(), "import-linter is not installed: pip install -r requirements-dev.txt"
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )


def _copy_of_the_code(target: Path) -> None:
    """The packages' Python files and the contract, without the templates and static files."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "templates", "static", "locale"),
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def test_the_code_keeps_the_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lower_app_importing_a_higher_one_breaks_the_contract(tmp_path):
    _copy_of_the_code(tmp_path)
    (tmp_path / "partners" / "reaches_up.py").write_text("from evaluation.models import TrustScore  # noqa: F401\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "partners.reaches_up -> evaluation.models" in result.stdout


def test_the_common_package_importing_an_app_breaks_the_contract(tmp_path):
    _copy_of_the_code(tmp_path)
    (tmp_path / "common" / "reaches_up.py").write_text("import partners.roles  # noqa: F401\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "common.reaches_up -> partners.roles" in result.stdout
