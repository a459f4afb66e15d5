"""Execute notebooks in place, each in its own folder, and store their outputs for committing.

    .venv/bin/python -m course_tools.execute_notebooks [notebooks/NAME.ipynb ...]   # default: every notebook

A cell's prints are stored as one output. TensorFlow's C++ log lines on stderr are not stored (any other stderr
line is printed here), nor execution timestamps or the Python patch version, so that re-executing an unchanged
notebook changes only the outputs that really changed.
"""

import argparse
import re
import sys
import time
from pathlib import Path

from nbclient import NotebookClient

from course_tools import notebooks

TF_LOG_LINE = re.compile(r"^(?:[IWEF]\d{4} \d\d:\d\d:\d\d|WARNING: All log messages before absl|\s|$)"
                         r"|^To enable the following instructions")


def stored_outputs(cell):
    """The outputs to store: stderr dropped (any unexpected line reported), prints merged."""
    outputs = []
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stderr":
            for line in output.text.splitlines():
                if not TF_LOG_LINE.match(line):
                    print(f"  stderr of cell {cell.id}: {line}", file=sys.stderr)
        elif output.output_type == "stream" and outputs and outputs[-1].output_type == "stream":
            outputs[-1].text += output.text
        else:
            outputs.append(output)
    return outputs


def strip_volatile_metadata(nb):
    """Drop what changes at every execution or with the machine: timestamps, the Python version."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.get("language_info", {}).pop("version", None)


def execute(path):
    nb = notebooks.read(path)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = stored_outputs(cell)
    strip_volatile_metadata(nb)
    notebooks.write(nb, path)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, default=notebooks.paths())
    for path in parser.parse_args().notebooks:
        print(f"executing {path} ...", flush=True)
        print(f"  done in {execute(path.resolve()):.0f} s", flush=True)


if __name__ == "__main__":
    main()
