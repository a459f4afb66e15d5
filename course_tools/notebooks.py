"""What scripts and tests share about the repository: where it is, its pins, a notebook's tagged cells.

Code that notebooks and scripts share lives in the package `notebook_helpers/` (see course_tools/shared_code.py).
"""

import json
import re
from pathlib import Path

from course_tools import REPO

# The notebooks that read files of notebooks/data/ when they lie beside them (in Colab, they download them).
NEEDS_DATA = ("keras_rnn_mnist", "applications")


def tagged_source(notebook, tag):
    """Return the source of the code cells tagged `tag`, in notebook order."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    sources = [
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code" and tag in cell.get("metadata", {}).get("tags", [])
    ]
    if not sources:
        raise LookupError(f"{notebook} has no code cell tagged {tag!r}")
    return "\n\n".join(sources)


def requirement_pins():
    """The exact versions requirements.txt pins, by lower-case package name."""
    pins = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)(\s*;.*)?", line)
            if not match:
                raise ValueError(f"requirements.txt must pin exact versions: {line!r}")
            pins[match[1].lower()] = match[2]
    return pins
