"""Write the first code cell of every notebook, the Colab cell: a copy of notebook_helpers/colab.py and its calls.

    .venv/bin/python -m course_tools.colab_cell            # rewrite the cell in every notebook
    .venv/bin/python -m course_tools.colab_cell --check    # exit 1 if a notebook's cell is out of date

Colab opens one notebook alone, with the packages it ships. The cell (tagged `colab`, folded in the book)
installs what a notebook needs and Colab lacks, in Colab only (COLAB_INSTALLS); everywhere it stops with the
command that installs a missing package, and notes a version other than requirements.txt's.
"""

import sys

import nbformat

from course_tools import notebooks, shared_code

TAG = "colab"
# The book folds the cell behind this line (myst-nb's cell-level code_prompt_show).
MYSTNB = {"code_prompt_show": "Show the Colab cell: installs and version checks"}
# What a notebook needs beyond Colab's packages: functions of notebook_helpers/colab.py, called first.
COLAB_INSTALLS = {"tf_rnn_api": ["install_tf_keras"]}


def cell_source(stem):
    calls = [*COLAB_INSTALLS.get(stem, []), "check_runtime"]
    copy = shared_code.cell_source([f"colab.{name}" for name in calls])
    return "\n".join([copy, "", "", *(f"{name}()" for name in calls)])


def first_code_cell(nb):
    return next(cell for cell in nb.cells if cell.cell_type == "code")


def update(nb, stem):
    """Write the Colab cell of notebook `stem` (inserted before its first code cell if it has none)."""
    cell, source = first_code_cell(nb), cell_source(stem)
    if TAG not in cell.metadata.get("tags", []):
        nb.cells.insert(nb.cells.index(cell), nbformat.v4.new_code_cell(
            source, metadata={"tags": [TAG, "hide-input"], "mystnb": MYSTNB}))
        return True
    if cell.source == source and cell.metadata.get("mystnb") == MYSTNB:
        return False
    cell.source, cell.metadata["mystnb"] = source, MYSTNB
    return True


if __name__ == "__main__":
    sys.exit(notebooks.main(update, __doc__))
