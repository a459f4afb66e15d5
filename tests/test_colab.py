"""The notebooks as Google Colab runs them: one file alone, in an empty folder, with no repository around it.

The first code cell of every notebook (written by scripts/colab_cell.py) installs what Colab lacks, in Colab
only. Each notebook is then executed alone in an empty folder with the course's environment and an empty
Keras cache. Where a notebook needs data, it takes the route Colab takes, `keras.utils.get_file` (and for
MNIST `keras.datasets.mnist.load_data`); the tests give that route what a download would have given, since
they run without network, and they check that with no network at all the notebook stops with one message.
"""

import importlib.metadata
import shutil
import subprocess
import sys
import types

import nbformat
import pytest
from colab_cell import TAG, cell_source, first_code_cell
from conftest import NOTEBOOKS, REPO
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from notebook_code import requirement_pins

from course.data import DATA_SHA256
from course.mnist import MNIST_DIR

IDS = [path.stem for path in NOTEBOOKS]

# What `keras.datasets.mnist.load_data()` returns once Keras has downloaded mnist.npz, read from the
# repository's original IDX files by the course's own reader (Keras checks the download against a hash
# that only Google's own npz file has, so the cache cannot be filled in advance). Loaded at kernel start
# as an IPython startup file; the notebook itself never imports `course`.
MNIST_DOWNLOADED = '''
from pathlib import Path

import keras

from course.mnist import MNIST_IDX_SHA256, read_local_idx

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
    assert cell.source == cell_source(path.stem), "out of date: run scripts/colab_cell.py"
    for package in ("tensorflow", "keras", "numpy", "matplotlib"):
        assert f'"{package}": "{requirement_pins()[package]}"' in cell.source


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
    assert printed == (f"Note: the course was tested with tensorflow {requirement_pins()['tensorflow']}; "
                       "this runtime has 2.19.0, so numbers may differ a little.\n")


def test_keras_2_is_refused(monkeypatch, capsys):
    with pytest.raises(ModuleNotFoundError, match="This course needs Keras 3"):
        run_colab_cell("simple_rnn", monkeypatch, capsys, colab=True, versions={"keras": "2.15.0"})


# ---- each notebook alone ----------------------------------------------------------------------------------

@pytest.fixture
def colab(tmp_path, monkeypatch):
    """An empty folder, an empty Keras cache, and no network for the kernel."""
    folder = tmp_path / "content"
    folder.mkdir()
    keras_home = tmp_path / "keras"
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    # Any download goes to a port where nothing listens, so it fails at once.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return types.SimpleNamespace(folder=folder, keras_home=keras_home, ipython=tmp_path / "ipython")


def cache(colab, subdir, name, source):
    """Put `source` into the Keras cache as `keras.utils.get_file` would have downloaded it."""
    target = colab.keras_home / subdir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)


def run_alone(path, colab):
    """Execute a copy of the notebook alone in colab.folder; return the executed notebook."""
    copy = colab.folder / path.name
    shutil.copy(path, copy)
    nb = nbformat.read(copy, as_version=4)
    for cell in nb.cells:  # forget the stored run, so that what is seen is this run
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(colab.folder)}})
    try:
        client.execute()
    except CellExecutionError:
        pass  # the caller looks at the outputs
    return nb


def errors(nb):
    return [(index, output) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


def executed_code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code" and cell.execution_count is not None]


DATA_FREE = [path for path in NOTEBOOKS if path.stem not in ("keras_rnn_mnist", "applications")]


@pytest.mark.parametrize("path", DATA_FREE, ids=[path.stem for path in DATA_FREE])
def test_notebook_without_data_runs_alone(path, colab):
    nb = run_alone(path, colab)
    assert not errors(nb), errors(nb)[:1]
    assert len(executed_code_cells(nb)) == sum(cell.cell_type == "code" for cell in nb.cells)


def test_mnist_notebook_runs_alone_on_the_data_keras_downloads(colab):
    colab.ipython.joinpath("profile_default", "startup").mkdir(parents=True)
    colab.ipython.joinpath("profile_default", "startup", "mnist_downloaded.py").write_text(
        MNIST_DOWNLOADED.format(mnist=str(REPO / "notebooks" / MNIST_DIR)))
    for name in ("seed_sweep.csv", "seed_sweep_fast.csv", "benchmark.csv"):
        cache(colab, "datasets", name, REPO / "results" / name)
    nb = run_alone(REPO / "notebooks" / "keras_rnn_mnist.ipynb", colab)
    assert not errors(nb), errors(nb)[:1]  # with no network, the data and the recorded runs came from the cache
    printed = "".join(output.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                      for output in cell.outputs)
    assert "keras.datasets.mnist" in printed, "the notebook says it took the Colab route to the data"


def test_applications_notebook_runs_alone_on_the_files_it_downloads(colab):
    for name in DATA_SHA256:  # as course.data.course_file downloads them
        cache(colab, "rnn_course", name.replace("/", "_"), REPO / "notebooks" / "data" / name)
    nb = run_alone(REPO / "notebooks" / "applications.ipynb", colab)
    assert not errors(nb), errors(nb)[:1]


@pytest.mark.parametrize("stem, error", [("keras_rnn_mnist", "MNISTDataError"),
                                         ("applications", "CourseDataError")])
def test_without_network_a_notebook_needing_data_stops_with_one_message(stem, error, colab):
    nb = run_alone(REPO / "notebooks" / f"{stem}.ipynb", colab)
    [(index, output)] = errors(nb)
    assert output.ename == error
    assert len(output.traceback) == 1, "one message, not a traceback"
    message = output.traceback[0]
    assert message.startswith(f"{error}: ") and "Connect to the internet" in message, message
    assert "is not next to this notebook" in message
    cell = nb.cells[index]
    assert executed_code_cells(nb)[-1] is cell, "nothing ran after it"
