"""The TensorFlow API chapter's setup: without a matching tf-keras (as on a runtime that lacks it), or with
tf.keras loaded too early, it stops with one message that says what to do."""

import json
import os
import subprocess
import sys

from conftest import REPO

from course_tools.notebooks import requirement_pins, tagged_source

NOTEBOOK = REPO / "notebooks" / "tf_rnn_api.ipynb"
MINOR = ".".join(requirement_pins()["tensorflow"].split(".")[:2])
INSTALL = f"pip install tf-keras~={MINOR}.0"

# Makes `tf_keras` impossible to import, as if the package were not installed.
HIDE_TF_KERAS = '''
import importlib.abc
import sys


class HideTfKeras(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tf_keras" or name.startswith("tf_keras."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, HideTfKeras())
'''

# Reports tf-keras as installed in another minor version than TensorFlow's.
OTHER_TF_KERAS = '''
import importlib.metadata

_version = importlib.metadata.version
importlib.metadata.version = lambda name: "2.0.0" if name == "tf-keras" else _version(name)
'''

# tf.keras used before the setup cells: it stays Keras 3 (TensorFlow reads TF_USE_LEGACY_KERAS once).
KERAS_3_LOADED = '''
import tensorflow as tf

tf.keras.layers.Dense
'''

# Runs the cells, then prints on its last line what they raised (with what Jupyter would show) and
# whether TensorFlow was imported.
RUN_CELLS = '''
import json
import sys
from pathlib import Path

raised = None
try:
    exec(compile(Path("cells.py").read_text(), "cells.py", "exec"), {"__name__": "__main__"})
except Exception as error:
    raised = {"type": type(error).__name__, "message": str(error),
              "shown": getattr(error, "_render_traceback_", lambda: None)()}
print(json.dumps({"raised": raised, "tensorflow_imported": "tensorflow" in sys.modules}))
'''


def run_setup_cells(tmp_path, prelude=""):
    """Run the notebook's Colab cell and its cells tagged `setup`, after `prelude`, in a fresh Python
    (without TF_USE_LEGACY_KERAS, as a new kernel); return (what was printed before, the report)."""
    code = "\n\n".join([prelude, tagged_source(NOTEBOOK, "colab"), tagged_source(NOTEBOOK, "setup")])
    (tmp_path / "cells.py").write_text(code)
    env = {name: value for name, value in os.environ.items() if name != "TF_USE_LEGACY_KERAS"}
    result = subprocess.run([sys.executable, "-c", RUN_CELLS], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    *printed, report = result.stdout.strip().splitlines()
    return "\n".join(printed), json.loads(report)


def assert_stops_with_one_message(raised, *facts):
    assert raised is not None, "the setup cells ran through"
    assert raised["type"] == "TFKerasNotAvailable"
    assert raised["shown"] == [f"TFKerasNotAvailable: {raised['message']}"], "one line, no traceback"
    for fact in facts:
        assert fact in raised["message"]


def test_missing_tf_keras_stops_before_tensorflow_is_imported(tmp_path):
    _, report = run_setup_cells(tmp_path, HIDE_TF_KERAS)
    assert_stops_with_one_message(report["raised"], INSTALL)
    assert not report["tensorflow_imported"]


def test_tf_keras_of_another_version_stops_before_tensorflow_is_imported(tmp_path):
    _, report = run_setup_cells(tmp_path, OTHER_TF_KERAS)
    assert_stops_with_one_message(report["raised"], "2.0.0", INSTALL)
    assert not report["tensorflow_imported"]


def test_tf_keras_loaded_before_the_setup_stops_with_restart(tmp_path):
    _, report = run_setup_cells(tmp_path, KERAS_3_LOADED)
    assert_stops_with_one_message(report["raised"], "Restart the kernel")


def test_setup_cells_run_with_tf_keras(tmp_path):
    printed, report = run_setup_cells(tmp_path)
    assert report["raised"] is None, report["raised"]
    assert f"tf-keras {requirement_pins()['tf-keras']}" in printed
    assert f"Keras {requirement_pins()['keras']}" in printed
