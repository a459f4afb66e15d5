"""The graded assignments: every exercise is a question, each check cell its test; one chapter is graded by otter
(.venv-otter, which `make test` creates): full marks with the solutions in place, none for the blank notebook."""

import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
import yaml
from conftest import NOTEBOOKS

from course_tools.assignments import LABEL, OTTER, master_cells
from course_tools.student_edition import EDITIONS, notebook_paths

BOTH_EDITIONS = [(name, path) for name in EDITIONS for path in notebook_paths(name)]  # the Chinese ones generated
GRADED = "simple_rnn"  # runs in under half a minute, three checked exercises and one written answer


def questions(cells):
    """{name: (config, [its test's source])} of a master notebook's cells."""
    found = {}
    for cell, following in zip(cells, cells[1:]):
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            name = yaml.safe_load(cell.source)["name"]
            found[name] = (yaml.safe_load(cell.source), [])
        elif cell.cell_type == "raw" and cell.source.startswith("# BEGIN TESTS"):
            found[name][1].append(following.source)
    return found


@pytest.mark.parametrize("edition, path", BOTH_EDITIONS, ids=lambda value: getattr(value, "name", value))
def test_every_exercise_is_a_question_and_every_check_its_test(edition, path):
    cells = nbformat.read(path, as_version=4).cells
    labels = [label for cell in cells if cell.cell_type == "markdown" for label in LABEL.findall(cell.source)]
    checks = {next(label for label in labels if label in cell.source): cell.source for cell in cells
              if "check" in cell.metadata.get("tags", [])}
    found = questions(master_cells(cells, edition))
    assert list(found) == labels and set(checks) <= set(labels)
    for label, (config, tests) in found.items():
        assert config["manual"] == (label not in checks) and config["points"] == 1, label
        assert len(tests) == (label in checks), f"{label}: one test if checked, none if graded by hand"
        if tests:
            compile(tests[0], label, "exec")
            calls = len(re.findall(r"^check_answer\(", checks[label], re.MULTILINE))
            assert calls and tests[0].count("assert_answer(") == calls, label


def grade(autograder, notebook, tmp_path):
    """{question: score} of otter run on a notebook, locally (no container)."""
    out = tmp_path / f"graded-{notebook.parent.name}"
    out.mkdir()
    result = subprocess.run([str(OTTER), "run", "--no-logo", "-a", str(autograder), "-o", str(out), str(notebook)],
                            capture_output=True, text=True, timeout=600, cwd=notebook.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    print(result.stdout[result.stdout.find("GRADING SUMMARY"):])
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {test["name"]: test["score"] for test in tests if "score" in test}


def test_otter_grades_a_chapter_full_marks_with_the_solutions_none_blank(tmp_path):
    if not OTTER.exists():
        message = f"{OTTER} is missing: `make test` creates it (requirements-otter.txt)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    built = subprocess.run([sys.executable, "-m", "course_tools.assignments", "--out", str(tmp_path), GRADED],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    student = tmp_path / GRADED / "student" / f"{GRADED}.ipynb"
    autograder = tmp_path / GRADED / "autograder" / f"{GRADED}-autograder.zip"
    checked = [name for name, (config, _) in questions(nbformat.read(tmp_path / "masters" / student.name,
                                                                     as_version=4).cells).items()
               if not config["manual"]]

    blank = nbformat.read(student, as_version=4)
    assert not any("otter" in cell.source or cell.outputs for cell in blank.cells if cell.cell_type == "code"), \
        "the student notebook needs no otter (Colab) and carries no outputs"
    solutions = {cell.id: cell.source for cell in nbformat.read(next(p for p in NOTEBOOKS if p.stem == GRADED),
                                                                as_version=4).cells
                 if "solution" in cell.metadata.get("tags", [])}
    full = nbformat.read(student, as_version=4)
    for cell in full.cells:
        cell.source = solutions.pop(cell.id, cell.source)
    assert not solutions, "every solution cell has its placeholder, by id"
    (tmp_path / "full").mkdir()
    nbformat.write(full, answered := tmp_path / "full" / student.name)

    assert grade(autograder, answered, tmp_path) == dict.fromkeys(checked, 1.0)
    assert grade(autograder, student, tmp_path) == dict.fromkeys(checked, 0.0)
