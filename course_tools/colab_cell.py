"""Write the first code cell of every notebook, the Colab cell: a copy of notebook_helpers/colab.py and its calls;
fold it, and the check cells of the exercises, wherever a notebook is opened (course_tools.notebooks.fold).

    .venv/bin/python -m course_tools.colab_cell            # rewrite the cell in every notebook
    .venv/bin/python -m course_tools.colab_cell --check    # exit 1 if a notebook's cell is out of date

Colab opens one notebook alone, with the packages it ships. The cell (tagged `colab`, folded in the book)
installs what a notebook needs and Colab lacks, in Colab only (COLAB_INSTALLS); everywhere it stops with the
command that installs a missing package, and notes a version other than requirements.txt's.
"""

import json
import sys

import nbformat

from course_tools import notebooks, shared_code

TAG = "colab"
# The lines the cells are folded behind (in the book, in Colab, in JupyterLab).
PROMPT = "Show the Colab cell: installs and version checks"
CHECK_PROMPT = "Show the check cell"
# What a notebook needs beyond Colab's packages: functions of notebook_helpers/colab.py, called first.
COLAB_INSTALLS = {"tf_rnn_api": ["install_tf_keras"]}


def cell_source(stem):
    calls = [*COLAB_INSTALLS.get(stem, []), "check_runtime"]
    copy = shared_code.cell_source([f"colab.{name}" for name in calls])
    return "\n".join([copy, "", "", *(f"{name}()" for name in calls)])


def first_code_cell(nb):
    return next(cell for cell in nb.cells if cell.cell_type == "code")


def update(nb, stem):
    """Write the Colab cell of notebook `stem` (inserted before its first code cell if it has none), and fold it
    and the check cells."""
    before, cell = json.dumps(nb.cells, sort_keys=True), first_code_cell(nb)
    if TAG not in notebooks.tags(cell):
        nb.cells.insert(nb.cells.index(cell), cell := nbformat.v4.new_code_cell(metadata={"tags": [TAG]}))
    cell.source = cell_source(stem)
    notebooks.fold(cell, PROMPT)
    for check in [cell for cell in nb.cells if "check" in notebooks.tags(cell)]:
        notebooks.fold(check, CHECK_PROMPT)
    return json.dumps(nb.cells, sort_keys=True) != before


if __name__ == "__main__":
    sys.exit(notebooks.main(update, __doc__))
