"""The compose file, the Dockerfile, the README and the settings tell the same story."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = {"migrate", "web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'(?:env(?:\.\w+)?|os\.environ\.get)\(\s*"([A-Z_]+)"', source))


def command(service) -> str:
    return " ".join(service["command"])


def test_compose_runs_every_process_of_the_platform(compose):
    assert set(compose["services"]) == {"db", "redis"} | APP_SERVICES


def test_app_services_share_one_image_and_production_environment(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["build"] == "."
        environment = service["environment"]
        assert environment["DEBUG"] == "0"
        assert environment["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert "SECRET_KEY" in environment


def test_compose_sets_only_variables_the_settings_read(compose):
    environment = compose["services"]["web"]["environment"]
    assert set(environment) <= settings_variables()


def test_processes_run_the_project_entry_points(compose):
    services = compose["services"]
    assert command(services["web"]).startswith("gunicorn config.wsgi")
    assert command(services["worker"]).startswith("celery -A config worker")
    assert command(services["beat"]).startswith("celery -A config beat")
    assert command(services["migrate"]) == "python manage.py migrate --noinput"


def test_exactly_one_beat_and_workers_wait_for_migrations(compose):
    services = compose["services"]
    assert services["beat"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("db", "redis"):
        assert services["migrate"]["depends_on"][name]["condition"] == "service_healthy"


def test_servers_have_healthchecks_and_data_volumes(compose):
    services = compose["services"]
    for name in ("db", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"]
    assert "healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "media:/app/var/media" in services["web"]["volumes"]
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media"}


def test_dockerfile_builds_the_same_python_and_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    assert settings_variables() <= documented


def test_requirements_are_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"
