"""Without tf-keras (as on a runtime that lacks it), the TensorFlow API chapter stops with one clear message."""

import subprocess
import sys

from conftest import REPO
from notebook_code import requirement_pins, tagged_source

NOTEBOOK = REPO / "notebooks" / "tf_rnn_api.ipynb"

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

def run_setup_cell(tmp_path, prelude):
    """Run the notebook's first two cells (the Colab cell and the setup cell) in a fresh Python."""
    code = prelude + tagged_source(NOTEBOOK, "colab") + "\n" + tagged_source(NOTEBOOK, "setup")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)


def test_missing_tf_keras_stops_with_one_clear_message(tmp_path):
    result = run_setup_cell(tmp_path, HIDE_TF_KERAS)
    assert result.returncode != 0
    minor = ".".join(requirement_pins()["tensorflow"].split(".")[:2])
    assert result.stderr.strip().splitlines()[-1] == (
        f"TFKerasNotAvailable: This notebook needs tf-keras {minor}, the Keras 2 package behind "
        f"tf.compat.v1.nn.rnn_cell. Install it with: pip install tf-keras~={minor}.0 and restart the kernel.")
    assert "site-packages" not in result.stderr, "it stops before importing TensorFlow, with no deep traceback"


def test_setup_cell_runs_with_tf_keras(tmp_path):
    result = run_setup_cell(tmp_path, "")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "(tf.keras), Keras 3." in result.stdout
