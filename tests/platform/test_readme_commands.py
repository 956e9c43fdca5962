"""The README's shell commands after `make run` work as written, on a machine where `make run` has been done.

Read from the README's ```sh blocks that follow the one holding `make run`, each command is run in the
project folder without DEBUG (`make run` turns it on only for what it starts), against the test database
with the demo users the commands name. Left out: `make run` and `make test` themselves, commands that need
a server (the platform's HTTP API, Docker, PostgreSQL) and lines with a placeholder such as `<the token>`,
with what depends on their variables. Slow (a Django start per command), so it runs once in CI: in the
PostgreSQL pass, as the other slow suites do.
"""

import os
import re
import subprocess

import pytest

from tests.factories import UserFactory
from tests.needs import require_postgresql
from tests.platform.test_celery_worker import ROOT, database_url_of_test_database

README = ROOT / "README.md"
NEEDS_A_SERVER = re.compile(r"^(curl\b|docker\b|docker-compose\b)|postgres(ql)?://|\bmake bench\b")
PLACEHOLDER = re.compile(r"<[^<>\s][^<>]*>")
ASSIGNMENT = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=")


def sh_blocks(text: str) -> list[list[str]]:
    """The commands of each ```sh block, a command continued with a backslash joined into one line."""
    blocks = []
    for body in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        commands, parts = [], []
        for line in body.splitlines():
            continued = line.rstrip().endswith("\\")
            parts.append(line.strip().removesuffix("\\").strip())
            if continued:
                continue
            command, parts = " ".join(part for part in parts if part), []
            if command and not command.startswith("#"):
                commands.append(command)
        blocks.append(commands)
    return blocks


def commands_after_make_run(text: str) -> list[str]:
    """The commands a reader may run by hand once `make run` has been done, in the README's order."""
    blocks = sh_blocks(text)
    start = next((index for index, block in enumerate(blocks) if "make run" in block), None)
    if start is None:
        return []
    runnable, unknowable = [], set()
    for command in (command for block in blocks[start + 1 :] for command in block):
        assigned = ASSIGNMENT.match(command)
        uses_unknowable = any(re.search(rf"\${{?{name}\b", command) for name in unknowable)
        if command in ("make run", "make test") or NEEDS_A_SERVER.search(command):
            continue
        if PLACEHOLDER.search(command) or uses_unknowable:
            if assigned:
                unknowable.add(assigned.group(1))
            continue
        runnable.append(command)
    return runnable


def demo_usernames() -> set[str]:
    """The demo's logins, as demo/people.py names them."""
    return set(re.findall(r'Login\(\s*"(\w+)"', (ROOT / "demo" / "people.py").read_text()))


def test_the_readme_lists_commands_to_run_after_make_run():
    commands = commands_after_make_run(README.read_text())

    assert any("manage.py" in command for command in commands), f"no ```sh block after `make run`'s: {commands}"


def test_placeholders_and_what_depends_on_them_are_left_out():
    text = "```sh\nmake run\n```\n\n```sh\nTOKEN=<the token>\necho $TOKEN\nls \\\n  -l\ncurl http://x/\n```\n"

    assert commands_after_make_run(text) == ["ls -l"]


@pytest.mark.parametrize("command", commands_after_make_run(README.read_text()))
def test_a_readme_command_works_as_written(command, transactional_db, tmp_path):
    require_postgresql("the README's commands run once in CI, in the PostgreSQL pass")
    for username in sorted(name for name in demo_usernames() if re.search(rf"\b{name}\b", command)):
        UserFactory(username=username)  # the demo user the command names; seeding the whole demo takes minutes
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    environment.update(VAR_DIR=str(tmp_path / "var"), DATABASE_URL=database_url_of_test_database())

    finished = subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 0, f"{command}\n{finished.stdout[-2000:]}\n{finished.stderr[-3000:]}"
    assert "Traceback" not in finished.stderr, finished.stderr[-3000:]
