"""pytest plugin of the course (loaded by pytest.ini): nbval settings, the notebooks run as Colab runs them,
the notebooks' time report, and the record of the run.

nbval executes each notebook once, and that one execution also proves that the notebook runs alone, as
Google Colab opens it: the kernel starts in an empty folder, with an empty Keras cache and no network
(`alone`). The two notebooks that read data files (NEEDS_DATA) are the exception: nbval runs them beside
their data, as a reader of the repository does, and tests/test_colab.py runs them alone once more, on what
Keras would have downloaded.

A run that executes notebooks ends with each notebook's time under nbval, written to
_build/notebook-times.csv, and a record of the whole run in _build/test-run.json: the date, the machine,
the versions, how many tests passed, failed or were skipped, the seconds of the run, of each notebook, of
each notebook's code cells and of each test file. `course_tools/course_facts.py --record _build/test-run.json`
keeps a complete, passing run as results/test_run.json, which the README and the book quote.
"""

import contextlib
import datetime
import json
import os
import platform
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path

import nbval.plugin

from course_tools.notebooks import NEEDS_DATA, REPO
from notebook_helpers.machine import cpu_name

NOTEBOOK_SECONDS = {}
CELL_SECONDS = {}  # notebook stem -> nbval's cell number (the code cells counted from 0) -> seconds
FILE_SECONDS = {}
STARTED = {}


def pytest_sessionstart(session):
    STARTED["time"] = time.monotonic()
    STARTED["session"] = session


OFFLINE = "http://127.0.0.1:9"  # a proxy where nothing listens: any download fails at once


def alone(root):
    """Colab's situation under `root`: (an empty folder for the kernel to start in, the environment
    variables to set, those to remove). KERAS_HOME is empty, so nothing Keras cached is found."""
    folder = Path(root) / "content"
    folder.mkdir(parents=True, exist_ok=True)
    variables = {"KERAS_HOME": str(Path(root) / "keras"), "IPYTHONDIR": str(Path(root) / "ipython"),
                 **{name: OFFLINE for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}}
    return folder, variables, ("no_proxy", "NO_PROXY")


@contextlib.contextmanager
def environment(variables, removed):
    saved = dict(os.environ)
    os.environ.update(variables)
    for name in removed:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _setup_alone(collector, setup):
    """nbval's setup of a notebook, with its kernel started alone (see `alone`)."""
    root = tempfile.mkdtemp(prefix=f"alone-{collector.fspath.purebasename}-")
    collector.addfinalizer(lambda: shutil.rmtree(root, ignore_errors=True))
    folder, variables, removed = alone(root)
    running_kernel = nbval.plugin.RunningKernel

    def kernel_alone(kernel_name, cwd=None, **options):
        with environment(variables, removed):  # the kernel process inherits them as it starts
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


def pytest_runtest_logreport(report):
    # Add up the time spent on each test file, and nbval's on each notebook's cells (setup, run, teardown).
    path, _, cell = report.nodeid.partition("::")
    FILE_SECONDS[path] = FILE_SECONDS.get(path, 0.0) + report.duration
    if path.endswith(".ipynb") and cell:
        NOTEBOOK_SECONDS[path] = NOTEBOOK_SECONDS.get(path, 0.0) + report.duration
        if cell.startswith("Cell "):
            cells = CELL_SECONDS.setdefault(os.path.basename(path).removesuffix(".ipynb"), {})
            cells[cell[5:]] = cells.get(cell[5:], 0.0) + report.duration


def _outcomes(stats):
    """Tests by outcome, each test counted once (a test that fails in teardown after passing is failed)."""
    nodeids = {}
    for outcome in ("passed", "skipped", "failed", "error"):
        for report in stats.get(outcome, []):
            if getattr(report, "nodeid", None) is not None:
                previous = nodeids.get(report.nodeid, "passed")
                nodeids[report.nodeid] = outcome if outcome != "passed" else previous
    counts = {outcome: list(nodeids.values()).count(outcome) for outcome in ("passed", "failed", "skipped")}
    counts["errors"] = list(nodeids.values()).count("error")
    counts["failing"] = sorted(nodeid for nodeid, outcome in nodeids.items() if outcome in ("failed", "error"))
    return counts


def _machine():
    machine = {"cpu": cpu_name(), "cores": os.cpu_count()}
    nvidia = Path("/proc/driver/nvidia/gpus")  # the GPUs NVIDIA's Linux driver sees; elsewhere unknown
    if platform.system() == "Linux":
        machine["gpus"] = len(list(nvidia.iterdir())) if nvidia.is_dir() else 0
    return machine


def by_number(item):
    return int(item[0])


def _run_record(terminalreporter):
    session = STARTED.get("session")
    return {
        "date": datetime.date.today().isoformat(),
        "machine": _machine(),
        "versions": {"python": platform.python_version(), "tensorflow": metadata.version("tensorflow"),
                     "keras": metadata.version("keras")},
        "command": " ".join(["pytest", *terminalreporter.config.invocation_params.args]),
        "tests": {"collected": session.testscollected if session else None,
                  **_outcomes(terminalreporter.stats),
                  "deselected": len(terminalreporter.stats.get("deselected", []))},
        "pytest_seconds": round(time.monotonic() - STARTED["time"], 1) if "time" in STARTED else None,
        "notebook_seconds": {os.path.basename(path).removesuffix(".ipynb"): round(seconds, 1)
                             for path, seconds in sorted(NOTEBOOK_SECONDS.items())},
        "test_file_seconds": {path: round(seconds, 1) for path, seconds in sorted(FILE_SECONDS.items())},
        "cell_seconds": {stem: {cell: round(seconds, 1) for cell, seconds in sorted(cells.items(), key=by_number)}
                         for stem, cells in sorted(CELL_SECONDS.items())},
    }


def pytest_terminal_summary(terminalreporter):
    # Report each notebook's execution time, and keep it in _build/notebook-times.csv; keep the record of
    # the run in _build/test-run.json (of the course's own runs only, not of a test's run in another folder).
    if not NOTEBOOK_SECONDS or terminalreporter.config.rootpath != REPO:
        return
    rows = sorted(NOTEBOOK_SECONDS.items())
    terminalreporter.write_sep("-", "notebook execution times (nbval)")
    for path, seconds in rows:
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
    terminalreporter.write_line(f"{sum(NOTEBOOK_SECONDS.values()):7.1f} s  all notebooks")
    out = REPO / "_build"
    out.mkdir(exist_ok=True)
    (out / "notebook-times.csv").write_text(
        "notebook,seconds\n" + "".join(f"{path},{seconds:.1f}\n" for path, seconds in rows))
    (out / "test-run.json").write_text(json.dumps(_run_record(terminalreporter), indent=2) + "\n")
    terminalreporter.write_line("record of this run: _build/test-run.json "
                                "(course_tools/course_facts.py --record keeps a complete one)")
