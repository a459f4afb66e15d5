"""The course's pytest plugin (course_tools/pytest_plugin.py): what a notebook tells its reader about time is
checked against nbval's run of it, in that run; every notebook of the course says it in the plugin's words; and
a check cell is run again with the wrong answers it lists.

The plugin's checks run on small notebooks of sleeping cells in a temporary folder, with pytest, nbval and the
plugin as `pytest notebooks/NAME.ipynb` runs them, and a threshold of 1 s for a long cell, so that each run
takes a few seconds.
"""

import os
import re
import subprocess
import sys

import nbformat
import pytest
from conftest import NOTEBOOKS

from course_tools.pytest_plugin import CELL_STATEMENT, PHRASES, TIME_LINE, disagreement


def run(tmp_path, cells):
    """Run nbval with the plugin on a notebook of `cells` (markdown text, ("code", source), or a check cell:
    ("code", source, wrong answers)); pytest's output."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    for cell in cells:
        if isinstance(cell, str):
            nb.cells.append(nbformat.v4.new_markdown_cell(cell))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell[1], execution_count=len(nb.cells)))
        if len(cell) == 3:  # ("code", a check cell's source, its wrong answers), which prints "✓ ex"
            nb.cells[-1].metadata = {"tags": ["check"], "wrong": cell[2]}
            nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✓ ex\n")]
    nbformat.write(nb, tmp_path / "timed.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", "/dev/null", "--rootdir", str(tmp_path), "-p", "no:cacheprovider",
         "-p", "course_tools.pytest_plugin", "--nbval", "--nbval-current-env", "--long-cell", "1", "-rf",
         "timed.ipynb"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "1000"})  # the short summary's lines whole
    return proc.stdout


SLEEP = ("code", "import time\ntime.sleep(1.5)")
QUICK = ("code", "pass")


def failed(output):
    """The cells that failed, by nbval's names, with their messages (the short summary of -rf)."""
    return dict(re.findall(r"^FAILED timed\.ipynb::(Cell \d+) - (.*)$", output, re.MULTILINE))


def test_statements_that_hold_pass(tmp_path):
    output = run(tmp_path, [
        "# Timed\n\n**Time.** The whole notebook runs in a few seconds on two CPU cores.",
        "The next cell sleeps: it takes a few seconds.", "(A statement holds for the next code cell.)", SLEEP,
        QUICK,
    ])
    assert "2 passed" in output and not failed(output), output[-3000:]
    assert re.search(r"notebook execution times \(nbval\).*\n +\d+\.\d s  timed\.ipynb", output), \
        "the run ends with the notebook's time"


def test_a_wrong_statement_an_unannounced_long_cell_and_a_wrong_time_line_fail(tmp_path):
    output = run(tmp_path, [
        "# Timed\n\n**Time.** The whole notebook runs in under a minute on two CPU cores.",
        "This cell takes under half a minute.", SLEEP,
        "This one says nothing of its time.", SLEEP,
        QUICK,
    ])
    cells = failed(output)
    assert set(cells) == {"Cell 0", "Cell 1", "Cell 2"}, output[-3000:]
    assert re.search(r"says it takes 'under half a minute' \(3\.3 to 40 s on two cores\), but it took 1\.\d s "
                     r"in this run: say 'a few seconds'", cells["Cell 0"])
    assert re.search(r"this cell took 1\.\d s, more than 1 s, and the markdown before it does not say how long",
                     cells["Cell 1"])
    assert re.search(r"\*\*Time\.\*\* line says it takes 'under a minute' \(10 to 80 s on two cores\), but it "
                     r"took \d\.\d s", cells["Cell 2"])


def test_the_phrases_leave_no_gap_and_say_which_holds():
    assert [low for low, _ in PHRASES.values()] == sorted(low for low, _ in PHRASES.values())
    assert all(any(low <= tenth / 10 <= high for low, high in PHRASES.values()) for tenth in range(1600))
    assert disagreement("a few seconds", 5, "it") is None
    assert disagreement("a few seconds", 20, "it").endswith("took 20.0 s in this run: say 'under half a minute'")
    assert disagreement("under a minute", 200, "it").endswith("took 200.0 s in this run")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_notebook_states_its_time_in_the_plugins_words(path):
    markdown = [" ".join(cell.source.split()) for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown"]
    assert TIME_LINE.search(markdown[0]), \
        f"the introduction says **Time.** The whole notebook runs in PHRASE on two CPU cores, PHRASE in {list(PHRASES)}"
    for text in markdown:
        # A time told in seconds or minutes is the plugin's phrase, which it checks, not a number it cannot.
        assert not re.search(r"\b(takes|runs in) (about |nearly |around )?\d+ (seconds?|minutes?)\b", text), text
        assert not re.search(r"(?i)longest cell|long cells", text) or CELL_STATEMENT.search(text), text


def test_a_check_cell_fails_when_a_wrong_answer_it_lists_passes(tmp_path):
    answer = ("code", "answer = 8\ndef check_answer(label, answer, expected):\n"
              "    print('✓' if answer == expected else '✗', label)")
    check = "check_answer('ex', answer, 8)"
    output = run(tmp_path, ["# Checked", answer,
                            ("code", check, [{"answer": "7"}, {"answer": "'eight'"}]),
                            ("code", check, [{"answer": "8.0"}]),
                            ("code", "assert answer == 8, 'the answer got its value back'")])
    assert failed(output) == {"Cell 2": "wrong answer {'answer': '8.0'}: AssertionError: this wrong answer passed: "
                                        "✓ ex"}, output[-3000:]
    assert "1 failed, 3 passed" in output
