"""Write the student edition of the course's notebooks: every exercise kept, every solution removed.

    .venv/bin/python -m course_tools.student_edition            # writes _build/student/notebooks/*.ipynb
    .venv/bin/python -m course_tools.student_edition --out DIR
    .venv/bin/python -m course_tools.student_edition --zip      # and _build/student/<repository name>-student.zip
    .venv/bin/python -m course_tools.student_edition --edition zh --zip   # the Chinese one, in _build/student-zh

A solution is what stands between a `solution-start` and a `solution-end` directive (CONTRIBUTING.md):
the answer in words, in markdown, and the code cells tagged `solution`. In the student edition the words
are replaced by a short prompt and each solution code cell by an empty cell to fill in, with no output;
a solution cell whose metadata names the answer variables its exercise's check cell reads
(`"answer": ["answer_stack"]`) becomes a cell that sets each of them to None, so that the notebook still
runs from top to bottom and the check cell (tagged `check`, kept without its stored "right") says "not
answered yet". Everything else is copied unchanged, outputs included. The data the notebooks read
(notebooks/data) and the recorded results they quote (experiments/*.csv) are copied beside them, as in the
repository. The Chinese edition is made from the Chinese notebooks, generated first (course_tools/translate.py);
its words are i18n/zh_CN/interface.yml's.
"""

import argparse
import re
import shutil
import zipfile
from pathlib import Path
from typing import NamedTuple

import nbformat

from course_tools import EXPERIMENTS, NOTEBOOKS, REPO, notebooks, translate
from notebook_helpers.config import NAME

START = re.compile(r"```\{solution-start\}[^\n]*\n(?::[^\n]*\n)*```\n?")
END = re.compile(r"```\{solution-end\}\n```\n?")


class Edition(NamedTuple):
    notebooks: Path  # where its notebooks are
    prompt: str  # what replaces a solution's words
    placeholder: str  # the first line of the cell that replaces a solution's code
    suffix: str  # of the output folder and of the zip's name


ZH_WORDS = translate.interface()
EDITIONS = {
    "en": Edition(NOTEBOOKS, "**Your answer.** Write it here, and your code in the cell below.",
                  "# Your solution here.", ""),
    "zh": Edition(translate.OUT, ZH_WORDS["student_prompt"], ZH_WORDS["student_placeholder"], "-zh"),
}
CODE_PLACEHOLDER = EDITIONS["en"].placeholder


def placeholder_source(cell, placeholder=CODE_PLACEHOLDER):
    """The empty cell a student fills in: the prompt, and each answer variable set to None."""
    return "\n".join([placeholder] + [f"{name} = None" for name in cell.metadata.get("answer", [])])


def placeholder_code_cell(cell, placeholder=CODE_PLACEHOLDER):
    new = nbformat.v4.new_code_cell(placeholder_source(cell, placeholder))
    new.id = cell.id
    new.metadata = {key: value for key, value in cell.metadata.items() if key in ("tags",)}
    return new


def student_cells(cells, edition="en"):
    """The cells of a notebook with its solutions replaced by places for the student's answer."""
    prompt, placeholder = EDITIONS[edition].prompt, EDITIONS[edition].placeholder
    out, inside = [], False
    for cell in cells:
        if cell.cell_type == "code":
            if "solution" in cell.metadata.get("tags", []):
                if not inside:
                    raise ValueError(f"cell {cell.id} is tagged solution outside a solution-start/-end pair")
                out.append(placeholder_code_cell(cell, placeholder))
            elif inside:
                raise ValueError(f"code cell {cell.id} inside a solution is not tagged solution")
            else:
                if "check" in cell.metadata.get("tags", []):
                    cell.outputs, cell.execution_count = [], None  # the solution's verdict
                out.append(cell)
            continue
        text, kept = cell.source, []
        while text:
            if inside:
                end = END.search(text)
                if end is None:
                    text = ""
                    break
                text, inside = text[end.end():], False
            else:
                start = START.search(text)
                if start is None:
                    kept.append(text)
                    break
                kept.append(text[:start.start()] + prompt + "\n")
                text, inside = text[start.end():], True
        source = "".join(kept).strip("\n")
        if source:
            cell.source = source
            out.append(cell)
    if inside:
        raise ValueError("a solution-start has no solution-end")
    return out


def notebook_paths(edition):
    """The paths of an edition's notebooks; the Chinese ones generated first."""
    if edition == "zh":
        translate.write_edition()
    return notebooks.paths(EDITIONS[edition].notebooks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", choices=EDITIONS, default="en", help="en, or zh (简体中文)")
    parser.add_argument("--out", type=Path, help="default: _build/student, or _build/student-zh")
    parser.add_argument("--zip", action="store_true", help="also write the edition as one zip file in --out")
    args = parser.parse_args()
    suffix = EDITIONS[args.edition].suffix
    root = args.out or REPO / "_build" / f"student{suffix}"
    out = root / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    for path in notebook_paths(args.edition):
        nb = notebooks.read(path)
        nb.cells = student_cells(nb.cells, args.edition)
        notebooks.write(nb, out / path.name)
        print(f"wrote {out / path.name}")
    shutil.copytree(NOTEBOOKS / "data", out / "data", dirs_exist_ok=True)
    print(f"copied the data to {out / 'data'}")
    (root / "experiments").mkdir(exist_ok=True)
    for path in sorted(EXPERIMENTS.glob("*.csv")):
        shutil.copy2(path, root / "experiments" / path.name)
    print(f"copied the recorded results to {root / 'experiments'}")
    if args.zip:
        archive = root / f"{NAME}-student{suffix}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted([*out.rglob("*"), *(root / "experiments").rglob("*")]):
                if path.is_file():
                    zf.write(path, Path(f"{NAME}-student{suffix}") / path.relative_to(root))
        print(f"wrote {archive} ({archive.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
