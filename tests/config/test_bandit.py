"""`make test` runs bandit over the application code, and the code passes it.

The command is read from the Makefile itself (the line `make test` runs), so the test breaks when that line does.
"""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def makefile_bandit_command(paths: list[str] | None = None) -> list[str]:
    """The bandit line of the Makefile's test target, with ``$(BIN)`` and ``$(BANDIT_PATHS)`` filled in."""
    text = (PROJECT_ROOT / "Makefile").read_text()
    variables = dict(
        line.split(" := ", 1) for line in text.splitlines() if " := " in line and not line.startswith("\t")
    )
    recipe = text.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    [line] = [line.strip() for line in recipe.splitlines() if line.strip().startswith("$(BIN)/bandit")]
    words = shlex.split(line.replace("$(BIN)", str(BIN)))
    targets = variables["BANDIT_PATHS"].split() if paths is None else paths
    return [word for word in words if word != "$(BANDIT_PATHS)"] + targets


def test_bandit_reads_every_application_package_and_no_test():
    command = makefile_bandit_command()

    assert set(command[-5:]) == {"config", "cases", "claimants", "paralegals", "documents"}
    assert "tests" not in command
    assert command[command.index("--severity-level") + 1] == "medium"
    assert command[command.index("--confidence-level") + 1] == "medium"


def test_the_application_code_passes_bandit():
    run = subprocess.run(makefile_bandit_command(), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)

    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize(
    ("code", "test_id"),
    [
        ("import subprocess\n\ndef run(name):\n    subprocess.call(f'ls {name}', shell=True)\n", "B602"),
        ("from django.utils.safestring import mark_safe\n\ndef show(text):\n    return mark_safe(text)\n", "B308"),
        ("def find(cursor, name):\n    cursor.execute(f\"SELECT * FROM t WHERE name = '{name}'\")\n", "B608"),
    ],
)
def test_the_makefile_command_fails_on_a_finding_outside_migrations(tmp_path, code, test_id):
    package = tmp_path / "package"
    (package / "migrations").mkdir(parents=True)
    (package / "views.py").write_text(code)
    (package / "migrations" / "0001_initial.py").write_text(code)

    run = subprocess.run(
        makefile_bandit_command([str(package)]), cwd=tmp_path, capture_output=True, text=True, timeout=300
    )

    assert run.returncode == 1, run.stdout + run.stderr
    assert test_id in run.stdout
    assert "views.py" in run.stdout
    assert "0001_initial.py" not in run.stdout
