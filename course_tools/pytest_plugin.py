"""pytest plugin of the course (loaded by pytest.ini): nbval settings, the notebooks run as Colab runs them,
what a notebook tells its reader about time checked against this run, each notebook's time, and the check
cells of the exercises run again with wrong answers.

nbval executes each notebook once, and that one execution also proves that the notebook runs alone, as
Google Colab opens it: the kernel starts in an empty folder, with an empty Keras cache and no network
(`alone`). The two notebooks that read data files (NEEDS_DATA) are the exception: nbval runs them beside
their data, as a reader of the repository does, and tests/test_colab_cell.py runs them alone once more, on what
Keras would have downloaded.

Time. A notebook tells its reader how long it takes in coarse phrases of one vocabulary (PHRASES), and nbval's
run checks them, during that run, against its own measurements; nothing is recorded and nothing is read back.
- The introduction says `**Time.** The whole notebook runs in PHRASE on two CPU cores`; it is checked at the
  notebook's last cell against the seconds nbval spent on all of its cells (kernel start included), when the
  run executes every cell of the notebook.
- A markdown cell says how long the code cell after it takes with `takes PHRASE` ("This cell takes under half
  a minute", "The next cell trains the four models and takes under a minute"). The statement belongs to the
  next code cell after that markdown cell (all the markdown between two code cells belongs to the second).
- A code cell that runs longer than LONG seconds needs such a statement.
A cell whose statement its measured time contradicts, or a long cell without one, fails its test with what
was stated and what was measured. The run ends with each notebook's time, in the terminal.

Wrong answers. A check cell (tagged `check`) lists in its metadata the typical wrong answers of its exercise,
`"wrong": [{"answer_x": "EXPRESSION", ...}, ...]`: after nbval's run of the cell (which shows the solution's
verdict, compared as any output), the plugin runs it again in the same kernel with each case's names set to its
expressions, and fails the cell unless every case prints a ✗; the names get their values back afterwards.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import nbval.plugin
import pytest

from course_tools.notebooks import NEEDS_DATA

# Each phrase, with the seconds it accepts: (at least, at most). A phrase means a span of the time a cell or a
# notebook takes on two CPU cores (a few seconds: up to 10; under half a minute: 10 to 30; under a minute: 30
# to 60; about a minute: 45 to 90; under two minutes: 60 to 120), widened by a margin, since the machine that
# measures is not the reader's: the upper end by a third (the course's 2-core machines differ by about a half
# in speed, and a light job beside nbval slows it too), the lower end to a third (a desktop two to three times
# faster). Beside heavy jobs (a book build, a browser test) a notebook takes twice as long or more: the checks
# need nbval run alone, as `make test` runs it.
PHRASES = {
    "a few seconds": (0, 40 / 3),
    "under half a minute": (10 / 3, 40),
    "under a minute": (10, 80),
    "about a minute": (15, 120),
    "under two minutes": (20, 160),
}
# A reader is told of every cell that takes longer than this. The cells left untold take at most 12 s on the
# course's machine (importing TensorFlow), so that one half as slow again passes. --long-cell overrides it.
LONG = 20.0
PHRASE = "|".join(PHRASES)
CELL_STATEMENT = re.compile(rf"\btakes ({PHRASE})\b")
TIME_LINE = re.compile(rf"\*\*Time\.\*\* The whole notebook runs in ({PHRASE}) on two CPU cores")

# notebook (its node id: notebooks/gru.ipynb) -> the seconds nbval spent on its cells so far (setup, call, teardown)
SECONDS = {}


def pytest_addoption(parser):
    parser.addoption("--long-cell", type=float, default=LONG,
                     help=f"seconds after which a notebook must say how long a cell takes (default {LONG:g})")


def disagreement(phrase, seconds, what):
    """Why `phrase`, said of `what`, is wrong for `seconds` measured; None if it holds."""
    low, high = PHRASES[phrase]
    if low <= seconds <= high:
        return None
    holds = [name for name, (a, b) in PHRASES.items() if a <= seconds <= b]
    return (f"{what} takes {phrase!r} ({round(low, 1):g} to {round(high, 1):g} s on two cores), but it took "
            f"{seconds:.1f} s in this run" + (f": say {holds[0]!r}" if holds else ""))


def said(pattern, cell):
    """The phrases a markdown cell says in `pattern`'s form (wherever its lines break)."""
    return pattern.findall(" ".join(cell.source.split())) if cell.cell_type == "markdown" else []


def time_problems(item, seconds):
    """What the notebook says wrongly of this cell's time, or of its own if this is its last cell."""
    cells = item.parent.nb.cells
    index = next(i for i, cell in enumerate(cells) if cell is item.cell)
    before = cells[:index]
    since = before[max((i + 1 for i, cell in enumerate(before) if cell.cell_type == "code"), default=0):]
    stated = [phrase for cell in since for phrase in said(CELL_STATEMENT, cell)]
    problems = [disagreement(phrase, seconds, "the text before this cell says it") for phrase in stated]
    long = item.config.getoption("long_cell")
    if not stated and seconds > long:
        problems.append(f"this cell took {seconds:.1f} s, more than {long:g} s, and the markdown before it does "
                        f"not say how long it takes: write `takes PHRASE`, PHRASE one of {list(PHRASES)}")
    mine = [other for other in item.session.items if other.parent is item.parent]
    if mine[-1] is item and len(mine) == sum(cell.cell_type == "code" for cell in cells):
        line = [phrase for cell in cells for phrase in said(TIME_LINE, cell)]
        if line:
            problems.append(disagreement(line[0], SECONDS[item.parent.nodeid], "the notebook's **Time.** line says it"))
    return [problem for problem in problems if problem]


# A check cell run again with a wrong answer, in the notebook's kernel (the names set, then given back).
WRONG = """import contextlib as _context, io as _io
_saved, _printed = {{_n: globals()[_n] for _n in {names!r} if _n in globals()}}, _io.StringIO()
try:
    with _context.redirect_stdout(_printed):
        exec({assign!r})
        exec({check!r})
finally:
    globals().update(_saved)
assert "✗" in _printed.getvalue(), "this wrong answer passed: " + _printed.getvalue()"""


def wrong_answers_passed(item):
    """The wrong answers a check cell's metadata lists that its check does not reject, with what happened."""
    problems, kernel = [], item.parent.kernel
    for case in item.cell.metadata.get("wrong", []) if "check" in item.cell.metadata.get("tags", []) else []:
        assign = "\n".join(f"{name} = {expression}" for name, expression in case.items())
        msg_id = kernel.execute_cell_input(WRONG.format(names=list(case), assign=assign, check=item.cell.source))
        kernel.await_reply(msg_id, timeout=600)
        while True:
            msg = kernel.get_message(stream="iopub", timeout=600)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                problems.append(f"wrong answer {case}: {msg['content']['ename']}: {msg['content']['evalue']}")
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
    return problems


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if not isinstance(item, nbval.plugin.IPyNbCell):
        return
    SECONDS[item.parent.nodeid] = SECONDS.get(item.parent.nodeid, 0.0) + report.duration
    if call.when == "call" and report.passed:
        problems = time_problems(item, report.duration) + wrong_answers_passed(item)
        if problems:
            report.outcome, report.longrepr = "failed", "\n".join(problems)


OFFLINE = "http://127.0.0.1:9"  # a proxy where nothing listens: any download fails at once


def alone(root):
    """Colab's situation under `root`: (an empty folder for the kernel to start in, the environment
    variables to set, those to remove). KERAS_HOME is empty, so nothing Keras cached is found."""
    folder = Path(root) / "content"
    folder.mkdir(parents=True, exist_ok=True)
    variables = {"KERAS_HOME": str(Path(root) / "keras"), "IPYTHONDIR": str(Path(root) / "ipython"),
                 **{name: OFFLINE for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}}
    return folder, variables, ("no_proxy", "NO_PROXY")


def _setup_alone(collector, setup):
    """nbval's setup of a notebook, with its kernel started alone (see `alone`)."""
    root = tempfile.mkdtemp(prefix=f"alone-{collector.fspath.purebasename}-")
    collector.addfinalizer(lambda: shutil.rmtree(root, ignore_errors=True))
    folder, variables, removed = alone(root)
    running_kernel = nbval.plugin.RunningKernel

    def kernel_alone(kernel_name, cwd=None, **options):
        with mock.patch.dict(os.environ, variables):  # the kernel process inherits them as it starts
            for name in removed:
                os.environ.pop(name, None)
            return running_kernel(kernel_name, cwd=str(folder), **options)

    nbval.plugin.RunningKernel = kernel_alone
    try:
        setup()
    finally:
        nbval.plugin.RunningKernel = running_kernel


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) is None or collector.fspath.ext != ".ipynb":
        return
    # TensorFlow writes its C++ log lines (oneDNN notices, grappler messages) to stderr, with timestamps
    # and process ids. They are not results, so nbval does not compare the stderr stream.
    collector.skip_compare += ("stderr",)
    if collector.fspath.purebasename not in NEEDS_DATA:
        setup = collector.setup
        collector.setup = lambda: _setup_alone(collector, setup)


def pytest_terminal_summary(terminalreporter):
    if not SECONDS:
        return
    terminalreporter.write_sep("-", "notebook execution times (nbval)")
    for notebook, seconds in sorted(SECONDS.items()):
        terminalreporter.write_line(f"{seconds:7.1f} s  {notebook}")
    terminalreporter.write_line(f"{sum(SECONDS.values()):7.1f} s  all notebooks")
