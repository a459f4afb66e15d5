"""The notebooks as Google Colab runs them: one file alone, in an empty folder, with no repository around it.

The first code cell of every notebook (written by course_tools/colab_cell.py from notebook_helpers/colab.py)
installs what Colab lacks, in Colab only. Every notebook is executed alone, in an empty folder with the
course's environment, an empty Keras cache and no network. For the notebooks that need no data, that is
nbval's own execution: the course's pytest plugin (course_tools/pytest_plugin.py) starts their kernel alone,
so one run both compares their outputs and proves that they run alone; the test below proves that it does. The
two notebooks that read data files run beside their data under nbval, and alone here: they take the route
Colab takes, `keras.utils.get_file` (and for MNIST `keras.datasets.mnist.load_data`), and the tests give that
route what a download would have given. With no network at all they stop with one message.
"""

import asyncio
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from course_tools import EXPERIMENTS, shared_code
from course_tools.colab_cell import PROMPT, TAG, cell_source, first_code_cell
from course_tools.notebooks import FOLDED, NEEDS_DATA, TITLE, requirement_pins
from course_tools.pytest_plugin import alone
from notebook_helpers.data import DATA_SHA256
from notebook_helpers.mnist import MNIST_DIR

IDS = [path.stem for path in NOTEBOOKS]

# What `keras.datasets.mnist.load_data()` returns once Keras has downloaded mnist.npz, read from the
# repository's original IDX files by the course's own reader (Keras checks the download against a hash
# that only Google's own npz file has, so the cache cannot be filled in advance). Loaded at kernel start
# as an IPython startup file; the notebook itself never imports `course`.
MNIST_DOWNLOADED = '''
from pathlib import Path

import keras

from notebook_helpers.mnist import MNIST_IDX_SHA256, read_local_idx

MNIST = Path({mnist!r})


def _load_data(path="mnist.npz"):
    x_train, y_train, x_test, y_test = (
        read_local_idx(MNIST / f"{{name}}.gz") for name in MNIST_IDX_SHA256)
    return (x_train, y_train), (x_test, y_test)


keras.datasets.mnist.load_data = _load_data
'''


# ---- the first cell ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_colab_cell(path):
    cell = first_code_cell(nbformat.read(path, as_version=4))
    assert TAG in cell.metadata.get("tags", []), "the first code cell must be the Colab cell"
    assert cell.source == f"{TITLE}{PROMPT}\n{cell_source(path.stem)}", "out of date: run course_tools/colab_cell.py"
    for package in ("tensorflow", "keras", "numpy", "matplotlib"):
        pins = [requirement_pins(name)[package] for name in ("requirements.txt", "requirements-colab.txt")]
        assert f'"{package}": {json.dumps(pins)}' in cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_generated_and_check_cells_are_folded_where_the_notebook_is_opened(path):
    """Colab shows a form's title (`cellView: form`, first line `#@title`), JupyterLab hides the source
    (`source_hidden`), the book folds it (hide-input): the Colab cell, the shared cells and the check cells."""
    folded = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code" and (
        {TAG, "check"} & set(cell.metadata.get("tags", [])) or spec_of(cell) is False)]
    assert len(folded) >= 3
    for cell in folded:
        prompt = cell.metadata["mystnb"]["code_prompt_show"]
        line = cell.source.split("\n", 1)[0]
        assert line.startswith(TITLE) and (TITLE + prompt).startswith(line.removesuffix(", …")), line
        assert cell.metadata["cellView"] == "form" and cell.metadata["jupyter"] == {"source_hidden": True}
        assert FOLDED in cell.metadata["tags"]


def spec_of(cell):
    """Whether a shared cell is shown (None: not a shared cell)."""
    return shared_code.spec(cell)[1] if shared_code.KEY in cell.metadata else None


def run_colab_cell(stem, monkeypatch, capsys, *, colab, versions=None):
    """Run a notebook's Colab cell here, with faked package versions; return (pip calls, printed text)."""
    real_version = importlib.metadata.version
    versions = versions or {}

    def version(name):
        if name in versions:
            if versions[name] is None:
                raise importlib.metadata.PackageNotFoundError(name)
            return versions[name]
        return real_version(name)

    calls = []
    monkeypatch.setattr(importlib.metadata, "version", version)
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(cell_source(stem), f"{stem}[colab]", "exec"), {})
    return calls, capsys.readouterr().out


@pytest.mark.parametrize("stem", IDS)
def test_colab_cell_installs_nothing_and_prints_nothing_in_the_course_environment(stem, monkeypatch, capsys):
    assert run_colab_cell(stem, monkeypatch, capsys, colab=False) == ([], "")


def test_in_colab_tf_keras_is_installed_to_match_tensorflow(monkeypatch, capsys):
    calls, _ = run_colab_cell("tf_rnn_api", monkeypatch, capsys, colab=True,
                              versions={"tf-keras": None, "tensorflow": "2.19.0"})
    assert calls == [[sys.executable, "-m", "pip", "install", "-q", "tf-keras~=2.19.0"]]


def test_in_colab_an_installed_tf_keras_is_kept(monkeypatch, capsys):
    calls, _ = run_colab_cell("tf_rnn_api", monkeypatch, capsys, colab=True)
    assert calls == []


def test_outside_colab_nothing_is_installed(monkeypatch, capsys):
    calls, _ = run_colab_cell("tf_rnn_api", monkeypatch, capsys, colab=False, versions={"tf-keras": None})
    assert calls == [], "outside Colab the setup cell says what to install instead"


def test_only_the_tensorflow_api_chapter_installs_anything(monkeypatch, capsys):
    for stem in IDS:
        calls, _ = run_colab_cell(stem, monkeypatch, capsys, colab=True, versions={"tf-keras": None})
        assert bool(calls) == (stem == "tf_rnn_api"), stem


def test_a_missing_package_says_what_to_install(monkeypatch, capsys):
    with pytest.raises(ModuleNotFoundError, match=f"pip install numpy=={requirement_pins()['numpy']}"):
        run_colab_cell("lstm", monkeypatch, capsys, colab=True, versions={"numpy": None})


def test_another_version_is_noted(monkeypatch, capsys):
    _, printed = run_colab_cell("gru", monkeypatch, capsys, colab=True, versions={"tensorflow": "2.19.0"})
    tested = [requirement_pins(name)["tensorflow"] for name in ("requirements.txt", "requirements-colab.txt")]
    assert printed == (f"Note: the course was tested with tensorflow {tested[0]} and {tested[1]}; "
                       "this runtime has 2.19.0, so numbers may differ a little.\n")


def test_colab_s_own_versions_are_tested_ones_and_print_no_note(monkeypatch, capsys):
    colab = requirement_pins("requirements-colab.txt")
    versions = {package: colab[package] for package in ("tensorflow", "keras", "numpy", "matplotlib")}
    assert run_colab_cell("gru", monkeypatch, capsys, colab=True, versions=versions) == ([], "")


def test_keras_2_is_refused(monkeypatch, capsys):
    with pytest.raises(ModuleNotFoundError, match="This course needs Keras 3"):
        run_colab_cell("simple_rnn", monkeypatch, capsys, colab=True, versions={"keras": "2.15.0"})


# ---- each notebook alone ----------------------------------------------------------------------------------

class Alone:
    """A notebook's run alone, as Colab runs it, under `root`: an empty folder, an empty Keras cache (until
    `cache` fills it) and no network, as nbval's kernels have (pytest_plugin.alone)."""

    def __init__(self, root, stem):
        self.path = REPO / "notebooks" / f"{stem}.ipynb"
        self.folder, variables, removed = alone(root)
        self.keras_home = Path(variables["KERAS_HOME"])
        self.ipython = Path(variables["IPYTHONDIR"])
        self.env = {name: value for name, value in {**os.environ, **variables}.items() if name not in removed}

    def cache(self, subdir, name, source):
        """Put `source` into the Keras cache as `keras.utils.get_file` would have downloaded it."""
        target = self.keras_home / subdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)

    async def run(self):
        """Execute a copy of the notebook alone in self.folder; return the executed notebook."""
        copy = self.folder / self.path.name
        shutil.copy(self.path, copy)
        nb = nbformat.read(copy, as_version=4)
        for cell in nb.cells:  # forget the stored run, so that what is seen is this run
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        client = NotebookClient(nb, timeout=600, kernel_name="python3")
        try:
            await client.async_execute(cwd=str(self.folder), env=self.env)
        except CellExecutionError:
            pass  # the tests look at the outputs
        return nb


def mnist_downloaded(run):
    run.ipython.joinpath("profile_default", "startup").mkdir(parents=True)
    run.ipython.joinpath("profile_default", "startup", "mnist_downloaded.py").write_text(
        MNIST_DOWNLOADED.format(mnist=str(REPO / "notebooks" / MNIST_DIR)))
    for name in ("seed_sweep.csv", "seed_sweep_fast.csv", "seed_sweep_jax.csv", "benchmark.csv"):
        run.cache("datasets", name, EXPERIMENTS / name)


def files_downloaded(run):
    for name in DATA_SHA256:  # as course.data.course_file downloads them
        run.cache("rnn_course", name.replace("/", "_"), REPO / "notebooks" / "data" / name)


# The notebooks that need data (nbval runs them beside it), each run alone: on what a download would have
# given, and with nothing at all.
RUNS = {"keras_rnn_mnist": ("keras_rnn_mnist", mnist_downloaded),
        "applications": ("applications", files_downloaded),
        "keras_rnn_mnist offline": ("keras_rnn_mnist", None),
        "applications offline": ("applications", None)}


@pytest.fixture(scope="module")
def alone_runs(tmp_path_factory):
    """The RUNS, all at once (each kernel is busy for a minute at most, mostly on one core); by name."""
    runs = {}
    for name, (stem, prepare) in RUNS.items():
        runs[name] = Alone(tmp_path_factory.mktemp(stem), stem)
        if prepare:
            prepare(runs[name])

    async def run_all():
        return await asyncio.gather(*(run.run() for run in runs.values()))

    return dict(zip(runs, asyncio.run(run_all())))


def test_every_notebook_that_needs_data_runs_alone_here():
    assert sorted(stem for stem, _ in RUNS.values()) == sorted(NEEDS_DATA * 2)


def errors(nb):
    return [(index, output) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


def executed_code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code" and cell.execution_count is not None]


# A notebook that shows where its kernel runs: its folder, its Keras cache and its network.
WHERE = [
    "import os\nprint(sorted(os.listdir('.')))",
    "print(os.path.exists(os.environ.get('KERAS_HOME', os.path.expanduser('~/.keras'))))",
    "import urllib.request\ntry:\n    urllib.request.urlopen('http://example.com/', timeout=10)\n"
    "except OSError:\n    print('no network')",
]
ALONE = ["[]\n", "False\n", "no network\n"]


@pytest.mark.parametrize("stem, runs_alone", [("tf_rnn_api", True), (NEEDS_DATA[0], False)])
def test_nbval_runs_a_notebook_alone_unless_it_needs_data(stem, runs_alone, tmp_path):
    # The outputs stored are those of a kernel alone; nbval compares them with its own run, through the
    # course's plugin. A notebook needing data runs in its own folder, where it sees itself: that run
    # differs, so the test shows it can fail.
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    for count, (source, printed) in enumerate(zip(WHERE, ALONE), 1):
        cell = nbformat.v4.new_code_cell(source, execution_count=count)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
        nb.cells.append(cell)
    nbformat.write(nb, tmp_path / f"{stem}.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", os.devnull, "--rootdir", str(tmp_path), "-p", "no:cacheprovider",
         "-p", "course_tools.pytest_plugin", "--nbval", "--nbval-current-env", "-q", f"{stem}.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert (proc.returncode == 0) == runs_alone, proc.stdout[-3000:]
    if not runs_alone:
        assert f"['{stem}.ipynb']" in proc.stdout, "nbval's kernel saw the notebook beside itself"


def test_mnist_notebook_runs_alone_on_the_data_keras_downloads(alone_runs):
    nb = alone_runs["keras_rnn_mnist"]
    assert not errors(nb), errors(nb)[:1]  # with no network, the data and the recorded runs came from the cache
    assert len(executed_code_cells(nb)) == sum(cell.cell_type == "code" for cell in nb.cells)
    printed = "".join(output.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    assert "keras.datasets.mnist" in printed, "the notebook says it took the Colab route to the data"


def test_applications_notebook_runs_alone_on_the_files_it_downloads(alone_runs):
    nb = alone_runs["applications"]
    assert not errors(nb), errors(nb)[:1]
    assert len(executed_code_cells(nb)) == sum(cell.cell_type == "code" for cell in nb.cells)


@pytest.mark.parametrize("stem, error", [("keras_rnn_mnist", "MNISTDataError"),
                                         ("applications", "CourseDataError")])
def test_without_network_a_notebook_needing_data_stops_with_one_message(stem, error, alone_runs):
    nb = alone_runs[f"{stem} offline"]
    [(index, output)] = errors(nb)
    assert output.ename == error
    assert len(output.traceback) == 1, "one message, not a traceback"
    message = output.traceback[0]
    assert message.startswith(f"{error}: ") and "Connect to the internet" in message, message
    assert "is not next to this notebook" in message
    cell = nb.cells[index]
    assert executed_code_cells(nb)[-1] is cell, "nothing ran after it"
