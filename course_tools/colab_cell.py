"""Write the first code cell of every notebook: what Google Colab lacks, and the versions tested.

    .venv/bin/python -m course_tools.colab_cell           # rewrite the cell in every notebook
    .venv/bin/python -m course_tools.colab_cell --check    # exit 1 if a notebook's cell is out of date

Colab opens one notebook alone, with the TensorFlow it ships. The cell (tagged `colab`, input hidden
in the book) installs what a notebook needs and Colab lacks, only when it runs in Colab; everywhere it
checks that TensorFlow, Keras, NumPy and Matplotlib are there, stops with the command to install a
missing one, and prints a note where a version differs from the one the course was tested with (the
pins of requirements.txt). In the course's own environment it prints nothing.

The cell is generated here, once for all notebooks, so that it stays the same in each; after editing
requirements.txt or this file, run the script and re-execute the notebooks.
"""

import sys

import nbformat

from course_tools import notebooks
from course_tools.notebooks import requirement_pins

TAG = "colab"
# The book folds the cell behind this line (myst-nb's cell-level code_prompt_show).
MYSTNB = {"code_prompt_show": "Show the Colab cell: installs and version checks"}
PACKAGES = ("tensorflow", "keras", "numpy", "matplotlib")
# What a notebook needs beyond Colab's packages, installed in Colab only.
COLAB_INSTALLS = {
    "tf_rnn_api": '''
# TensorFlow 1's RNN cells need tf-keras (Keras 2), matching TensorFlow.
if IN_COLAB and installed("tf-keras") is None:
    tf_minor = ".".join(installed("tensorflow").split(".")[:2])
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    f"tf-keras~={tf_minor}.0"], check=True)
    importlib.invalidate_caches()
''',
}

INSTALL_COMMENT = """\
# Google Colab opens this notebook alone. Colab ships tf-keras; on a
# runtime without it this cell installs it (in Colab only). Everywhere,
# it checks the packages against the versions the course was tested with."""
NO_INSTALL_COMMENT = """\
# Google Colab opens this notebook alone, and has every package it
# needs. This cell checks them against the versions the course was
# tested with, in Colab and everywhere else."""

TEMPLATE = '''\
{comment}
import importlib.metadata
{imports}import sys

TESTED_WITH = {tested}
IN_COLAB = "google.colab" in sys.modules


def installed(package):
    names = [package] + (["tensorflow-cpu"] if package == "tensorflow" else [])
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return None

{install}
for package, tested in TESTED_WITH.items():
    found = installed(package)
    if found is None:
        raise ModuleNotFoundError(f"This notebook needs {{package}}: "
                                  f"pip install {{package}}=={{tested}}")
    if found.split(".")[:2] != tested.split(".")[:2]:
        print(f"Note: the course was tested with {{package}} {{tested}}; "
              f"this runtime has {{found}}, so numbers may differ a little.")
if int(installed("keras").split(".")[0]) < 3:
    raise ModuleNotFoundError("This course needs Keras 3: "
                              f"pip install keras=={{TESTED_WITH['keras']}}")
'''


def cell_source(stem):
    pins = requirement_pins()
    tested = {package: pins[package] for package in PACKAGES}
    lines = [f'"{package}": "{version}"' for package, version in tested.items()]
    tested_literal = "{" + ",\n               ".join(lines) + "}"
    install = COLAB_INSTALLS.get(stem, "")
    comment = INSTALL_COMMENT if install else NO_INSTALL_COMMENT
    imports = "import subprocess\n" if install else ""
    return TEMPLATE.format(tested=tested_literal, install=install, comment=comment,
                           imports=imports).rstrip("\n")


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
