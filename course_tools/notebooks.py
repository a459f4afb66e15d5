"""Reading and writing the course's notebooks, and the one command-line convention of every generator.

A generator (course_tools.colab_cell, course_tools.shared_code) is a function `update(nb, stem)` that rewrites
generated cells of a notebook in memory and says whether anything changed, run through `main`:

    .venv/bin/python -m course_tools.GENERATOR [NOTEBOOK ...]   # rewrite (default: every notebook)
    .venv/bin/python -m course_tools.GENERATOR --check          # write nothing; exit 1 naming each stale notebook
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

from course_tools import NOTEBOOKS, REPO

# The notebooks that read files of notebooks/data/ when they lie beside them (in Colab, they download them).
NEEDS_DATA = ("keras_rnn_mnist", "applications")
# A folded cell's first line in Colab, and its tag in the book (`fold`).
TITLE, FOLDED = "#@title ", "hide-input"


def paths(folder=NOTEBOOKS):
    return sorted(Path(folder).glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def write(nb, path):
    nbformat.write(nb, path)


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def title(prompt):
    """The `#@title` line of a cell folded behind `prompt`: within 79 characters, a long list of names cut short."""
    line = TITLE + prompt
    cut = line.rfind(", ", 0, 76)  # after the last name that fits
    return line if len(line) <= 79 else line[:cut] + ", …" if cut > 0 else line[:78] + "…"


def fold(cell, prompt):
    """Fold a code cell behind the line `prompt` wherever it is opened: in the book (myst-nb's hide-input and
    code_prompt_show), in Colab (a form: `cellView` and a first line `#@title PROMPT`) and in JupyterLab
    (`source_hidden`); unfold it if `prompt` is None."""
    body = cell.source.split("\n", 1)[-1] if cell.source.startswith(TITLE) else cell.source
    cell.source = f"{title(prompt)}\n{body}" if prompt else body
    kept = [tag for tag in tags(cell) if tag != FOLDED] + ([FOLDED] if prompt else [])
    mystnb = {key: value for key, value in cell.metadata.get("mystnb", {}).items() if key != "code_prompt_show"}
    metadata = {key: value for key, value in cell.metadata.items()
                if key not in ("tags", "mystnb", "cellView", "jupyter")}
    if prompt:
        mystnb["code_prompt_show"] = prompt
        metadata.update(cellView="form", jupyter={"source_hidden": True})
    metadata.update({"tags": kept} if kept else {}, **({"mystnb": mystnb} if mystnb else {}))
    cell.metadata = nbformat.from_dict(metadata)


def tagged_source(notebook, tag):
    """The source of the code cells tagged `tag`, in notebook order."""
    sources = [cell.source for cell in read(notebook).cells if cell.cell_type == "code" and tag in tags(cell)]
    if not sources:
        raise LookupError(f"{notebook} has no code cell tagged {tag!r}")
    return "\n\n".join(sources)


def requirement_pins(name="requirements.txt"):
    """The exact versions a requirements file pins (requirements.txt, or requirements-colab.txt: Colab's), by
    lower-case package name."""
    pins = {}
    for line in (REPO / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)(\s*;.*)?", line)
            if not match:
                raise ValueError(f"{name} must pin exact versions: {line!r}")
            pins[match[1].lower()] = match[2]
    return pins


def main(update, doc, argv=None):
    """A generator's command line: apply `update(nb, stem)` to the notebooks named (default: all); with --check,
    write nothing and exit 1 if any notebook would change. `doc` is the generator's module docstring."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook of notebooks/")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in [p.resolve() for p in args.notebooks] or paths():
        nb = read(path)
        if update(nb, path.stem):
            stale.append(path.name)
            if not args.check:
                write(nb, path)
    command = f"python -m {sys.modules[update.__module__].__spec__.name}"
    if args.check:
        for name in stale:
            print(f"{name} is stale: run {command}, then re-execute it")
        return 1 if stale else 0
    print(f"rewrote {', '.join(stale)}" if stale else "every notebook is up to date")
    return 0
