"""The environments the course runs in: the locked one, Colab's, and the workflows that test both.

requirements.txt names what the course uses directly, at exact versions; requirements.lock, written from it
by `make lock` (uv), pins every package installed, for Python 3.11 and newer; `make` installs the lock.
requirements-colab.txt holds Colab's versions, which `make test-colab` and the workflow's colab job use.
"""

import re
from importlib import metadata

import yaml
from conftest import REPO
from packaging.markers import Marker
from packaging.requirements import Requirement

from course_tools.notebooks import requirement_pins

LOCK_COMMAND = "uv pip compile --universal --python-version 3.11 requirements.txt -o requirements.lock"


def lock_entries():
    """(name, version, marker or None) of every package of the lock."""
    entries = []
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"the lock pins exact versions: {line}"
        entries.append((canonical(requirement.name), specifier.version, requirement.marker))
    return entries


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_is_written_by_the_documented_command():
    header = (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines()[:2]
    assert header[1].strip("# ") == LOCK_COMMAND, "regenerate it with `make lock`"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert f"$(BIN)/{LOCK_COMMAND}".replace("compile", "compile --quiet") in makefile, "make lock runs it"


def test_every_pin_of_requirements_txt_is_locked_at_its_version():
    locked = {}
    for name, version, _ in lock_entries():
        locked.setdefault(name, set()).add(version)
    for name, version in requirement_pins().items():
        assert locked.get(canonical(name)) == {version}, \
            f"requirements.txt pins {name}=={version}, requirements.lock has {locked.get(canonical(name))}: make lock"


def test_the_environment_is_the_lock():
    """Every locked package that applies here is installed at its locked version."""
    for name, version, marker in lock_entries():
        if marker is not None and not Marker(str(marker)).evaluate():
            continue
        assert metadata.version(name) == version, f"{name}: installed {metadata.version(name)}, locked {version}"


def test_colab_file_pins_the_test_tools_as_requirements_txt_does():
    pins = requirement_pins()
    colab = {}
    for line in (REPO / "requirements-colab.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            colab[canonical(name)] = version
    for tool in ("ipykernel", "pytest", "nbval"):
        assert colab[tool] == pins[tool], \
            f"requirements-colab.txt pins {tool} {colab[tool]}, requirements.txt {pins[tool]}"
    assert {"tensorflow", "keras", "tf-keras", "numpy", "matplotlib"} <= set(colab)


def workflow(name):
    data = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    return data["jobs"]


def test_the_workflows_test_both_ends_of_the_pythons_and_colabs_versions():
    jobs = workflow("tests.yml")
    assert jobs["test"]["strategy"]["matrix"]["python-version"] == ["3.11", "3.13"]
    assert any(step.get("run") == "bash .ci/run" for step in jobs["test"]["steps"])
    colab_steps = jobs["colab"]["steps"]
    assert any(step.get("with", {}).get("python-version") == "3.13" for step in colab_steps)
    assert any(step.get("run", "").startswith("make test-colab") for step in colab_steps)


def test_pages_publish_the_pdf_and_the_student_edition_beside_the_site():
    runs = [step.get("run", "") for step in workflow("pages.yml")["build"]["steps"]]
    assert {"make book", "make pdf", "make student"} <= set(runs)
    assert any(run.startswith("cp ") and ".pdf" in run and "-student.zip" in run and run.endswith("_build/html/")
               for run in runs)
