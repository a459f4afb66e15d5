"""Run the code cells of a notebook that carry a given tag, outside Jupyter.

The notebooks stand alone (Colab opens one file with no repository around it), so
the code they define lives in the notebook itself. Scripts and tests that need the
same code load it from there instead of keeping a second copy.
"""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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


def load_tagged(notebook, *tags):
    """Execute the cells tagged with each of `tags` in one namespace and return it."""
    namespace = {"__name__": f"notebook:{Path(notebook).stem}"}
    for tag in tags:
        exec(compile(tagged_source(notebook, tag), f"{notebook}[{tag}]", "exec"), namespace)
    return namespace


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
