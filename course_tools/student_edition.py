"""The student edition of the notebooks: every exercise kept, every solution removed (`make student`).

    python -m course_tools.student_edition [--edition zh] [--out DIR] [--zip]   # DIR: _build/student[-zh]

A solution (CONTRIBUTING.md): the words between a `solution-start` and a `solution-end` directive, replaced by a
prompt, and the code cells tagged `solution`, each replaced by an empty cell that sets to None the answers its
metadata names (`"answer": ["answer_stack"]`), so that the check cells (tagged `check`, their verdict removed) say
"not answered yet". The rest is copied, outputs, notebooks/data and experiments/*.csv included.
"""

import argparse
import re
import shutil
import zipfile
from collections import namedtuple
from pathlib import Path

import nbformat

from course_tools import BUILD, EXPERIMENTS, NOTEBOOKS, notebooks, translate
from notebook_helpers.config import NAME

START = re.compile(r"```\{solution-start\}[^\n]*\n(?::[^\n]*\n)*```\n?")
END = re.compile(r"```\{solution-end\}\n```\n?")
MARKER = re.compile(f"({START.pattern}|{END.pattern})")
# Where an edition's notebooks are, what replaces a solution's words and code (its first line), its folder's suffix
Edition = namedtuple("Edition", "notebooks prompt placeholder suffix")
WORDS = translate.interface()
EDITIONS = {"en": Edition(NOTEBOOKS, "**Your answer.** Write it here, and your code in the cell below.",
                          "# Your solution here.", ""),
            "zh": Edition(translate.OUT, WORDS["student_prompt"], WORDS["student_placeholder"], "-zh")}


def student_cells(cells, edition="en"):
    """The cells of a notebook with its solutions replaced by places for the student's answer."""
    words, out, inside = EDITIONS[edition], [], False
    for cell in cells:
        if cell.cell_type == "code":
            tags = notebooks.tags(cell)
            if ("solution" in tags) != inside:
                raise ValueError(f"code cell {cell.id}: tagged solution outside a solution, or not tagged inside one")
            if "check" in tags:
                cell.outputs, cell.execution_count = [], None  # the solution's verdict
            answers = [f"{name} = None" for name in cell.metadata.get("answer", [])]  # set, so that the check runs
            out.append(nbformat.v4.new_code_cell("\n".join([words.placeholder, *answers]), id=cell.id,
                                                 metadata={"tags": tags}) if inside else cell)
            continue
        kept = []
        for i, part in enumerate(MARKER.split(cell.source)):
            if i % 2 == 0:  # the text before, between or after the markers
                kept += [] if inside else [part]
            elif bool(START.match(part)) == inside:
                raise ValueError(f"cell {cell.id}: a solution-start inside a solution, or a solution-end outside")
            else:
                inside = not inside
                kept += [words.prompt + "\n"] if inside else []
        if source := "".join(kept).strip("\n"):
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edition", choices=EDITIONS, default="en")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--zip", action="store_true")
    args = parser.parse_args()
    suffix = EDITIONS[args.edition].suffix
    root = args.out or BUILD / f"student{suffix}"
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    for path in notebook_paths(args.edition):
        nb = notebooks.read(path)
        nb.cells = student_cells(nb.cells, args.edition)
        notebooks.write(nb, root / "notebooks" / path.name)
    shutil.copytree(NOTEBOOKS / "data", root / "notebooks" / "data", dirs_exist_ok=True)
    shutil.copytree(EXPERIMENTS, root / "experiments", dirs_exist_ok=True,
                    ignore=lambda folder, names: [name for name in names if not name.endswith(".csv")])
    print(f"wrote the student edition into {root}: its notebooks, their data and the recorded results")
    if args.zip:
        with zipfile.ZipFile(archive := root / f"{NAME}-student{suffix}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted([*(root / "notebooks").rglob("*"), *(root / "experiments").rglob("*")]):
                if path.is_file():
                    zf.write(path, Path(f"{NAME}-student{suffix}") / path.relative_to(root))
        print(f"wrote {archive} ({archive.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
