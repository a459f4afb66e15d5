"""Graded assignments: each chapter as an otter-grader assignment, in either edition (`make assignments`).

    .venv/bin/python -m course_tools.assignments [--edition zh] [--out DIR] [NAME ...]   # DIR: _build/assignments[-zh]

Each exercise is a question whose prompt is what the student edition keeps (`student_edition.student_cells`): its
words, the place for the answer, the placeholder cells. An exercise followed by a check cell is graded automatically
(1 point) by one test, run right after it: the check cell's code, each `check_answer(` made an `assert_answer(`.
One without is graded by hand (`manual`, 1 point). The master notebook is generated into DIR/masters/ (never
committed); `otter assign` (from .venv-otter, requirements-otter.txt) writes DIR/NAME/student/NAME.ipynb, to hand
out, and DIR/NAME/autograder/NAME-autograder.zip, for Gradescope or `otter run -a ZIP SUBMISSION.ipynb`. The student
notebook has no otter cells (init, check, export), so it runs in Colab as it is; otter assign runs no test
(tests/test_assignments.py grades a chapter).
"""

import argparse
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from course_tools import BUILD, NOTEBOOKS, REPO, notebooks
from course_tools.student_edition import EDITIONS, notebook_paths, student_cells
from notebook_helpers import colab

OTTER = REPO / ".venv-otter" / ("Scripts" if os.name == "nt" else "bin") / "otter"
CONFIG = {"init_cell": False, "check_all_cell": False, "export_cell": False, "run_tests": False,
          "tests": {"ok_format": False}, "requirements": "requirements.txt", "generate": True}
LABEL = re.compile(r"```\{exercise\}[^\n]*\n(?::[^\n]*\n)*?:label: (\S+)")
CALL = re.compile(r"^check_answer\(", re.MULTILINE)
RUNS_NOTEBOOKS = (*colab.PACKAGES, "tf-keras")  # the autograder's requirements: the Colab cell's, and tf-keras


def raw(*lines, **config):
    return nbformat.v4.new_raw_cell("\n".join(lines) + ("\n" + yaml.safe_dump(config) if config else ""))


TEST = """def test_check(env):
    check = {source!r}
    exec(compile(check, {name!r}, "exec"), env)"""


def test(label, check):
    """An exception-based otter test: the check cell's code in the notebook's globals, each check_answer an
    assert_answer, which fails with the verdict unless the answer is right."""
    return nbformat.v4.new_code_cell(TEST.format(source=CALL.sub("assert_answer(", check.source),
                                                 name=f"check of {label}"))


def master_cells(cells, edition="en"):
    """The cells of a chapter's otter master notebook: its student edition, with each exercise a question."""
    cells, out, i = student_cells(cells, edition), [], 0
    while i < len(cells):
        labels = LABEL.findall(cells[i].source) if cells[i].cell_type == "markdown" else []
        if len(labels) != 1:
            if labels or "check" in notebooks.tags(cells[i]):
                raise ValueError(f"cell {cells[i].id}: two exercises in one cell, or a check cell after no exercise")
            out.append(cells[i])
            i += 1
            continue
        end = i + 1
        while end < len(cells) and "solution" in notebooks.tags(cells[end]):
            end += 1
        check = cells[end] if end < len(cells) and "check" in notebooks.tags(cells[end]) else None
        if check and labels[0] not in check.source:
            raise ValueError(f"check cell {check.id} does not check exercise {labels[0]}")
        words, prompt, after = cells[i].source.partition(EDITIONS[edition].prompt)  # the prompt stays editable
        out += [raw("# BEGIN QUESTION", name=labels[0], manual=not check, points=1, check_cell=False),
                nbformat.v4.new_markdown_cell(words.strip("\n"), id=cells[i].id), raw("# BEGIN PROMPT"),
                nbformat.v4.new_markdown_cell(prompt + after), *cells[i + 1:end], raw("# END PROMPT")]
        out += [check, raw("# BEGIN TESTS"), test(labels[0], check), raw("# END TESTS")] if check else []
        out.append(raw("# END QUESTION"))
        i = end + bool(check)
    return out


def write_assignment(path, out, edition="en"):
    """The assignment of the chapter at `path`, by otter assign: its student notebook and autograder zip."""
    masters, name = out / "masters", path.stem
    masters.mkdir(parents=True, exist_ok=True)
    pins = notebooks.requirement_pins()
    (masters / "requirements.txt").write_text("".join(f"{p}=={pins[p]}\n" for p in RUNS_NOTEBOOKS))
    data = name in notebooks.NEEDS_DATA
    if data:
        shutil.copytree(NOTEBOOKS / "data", masters / "data", dirs_exist_ok=True)
    nb = notebooks.read(path)
    config = {"name": name, **CONFIG, "files": ["data"] if data else []}
    nb.cells = [raw("# ASSIGNMENT CONFIG", **config), *master_cells(nb.cells, edition)]
    notebooks.write(nb, masters / path.name)
    if not OTTER.exists():
        raise SystemExit(f"{OTTER} is missing: `make assignments` creates .venv-otter (requirements-otter.txt)")
    subprocess.run([str(OTTER), "assign", str(masters / path.name), str(out / name)], check=True, cwd=masters)
    (zipped,) = (out / name / "autograder").glob(f"{name}-autograder_*.zip")
    return zipped.rename(zipped.with_name(f"{name}-autograder.zip"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="chapters (notebook stems); default: all")
    parser.add_argument("--edition", choices=EDITIONS, default="en")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or BUILD / f"assignments{EDITIONS[args.edition].suffix}"
    for path in notebook_paths(args.edition):
        if not args.names or path.stem in args.names:
            print(f"wrote {write_assignment(path, out, args.edition)} and {out / path.stem / 'student' / path.name}")


if __name__ == "__main__":
    main()
