"""The course's data files, checked by their SHA-256.

Next to a notebook in the repository, `course_file` returns the local copy in
`data/` and stops with a message naming the file and the fix when that copy
is missing or corrupted. Alone (as in Colab), it downloads the file once from
the repository (`RAW_URL`, from `_config.yml`) and checks the same
digest. With no network it stops with one message, not a traceback.
"""

import hashlib
from pathlib import Path

import keras

from notebook_helpers.config import RAW_URL

DATA_DIR = "data"  # next to the notebook
# The folder of data files in the repository, as a notebook alone downloads
# them (the shared cell holds the value, computed from _config.yml).
DATA_URL = f"{RAW_URL}notebooks/data"
DATA_SHA256 = {  # the SHA-256 of each file, as in its folder's SHA256SUMS
    "co2/co2_mm_mlo.csv":
        "5c0ce2d536c4a04f893f2bccf9d000a6483b11d6e4a7ae8c6c4045d3792cff0b",
    "tinyshakespeare/input_first48k.txt":
        "2cd8d2f4606d0582e26db93e3742908b582c9514b4404b6c57b3d64f62fb14f5",
    "sentiment/amazon_cells_labelled.txt":
        "2006d881dba41ac94f3389f1d8fce320e788776e53a121fe151961cbdd020000",
}


class CourseDataError(RuntimeError):
    """A data file could not be used; the message says what is wrong and
    how to fix it."""

    def _render_traceback_(self):
        """Jupyter and Colab show this message alone, not a traceback."""
        return [f"{type(self).__name__}: {self}"]


def sha256_of(path):
    """The SHA-256 of a file, as hexadecimal digits."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def course_file(name, data_dir=DATA_DIR):
    """The path of a checked copy of the course data file `name`."""
    expected = DATA_SHA256[name]
    local = Path(data_dir) / name
    if local.parent.is_dir():  # the course repository is around
        fix = ("Restore it from the course repository (git checkout -- "
               f"notebooks/data/{name}), or delete the folder "
               f"{local.parent} to download the file instead.")
        if not local.is_file():
            raise CourseDataError(f"Data file {local} is missing. {fix}")
        digest = sha256_of(local)
        if digest != expected:
            raise CourseDataError(
                f"Data file {local} is corrupted: its SHA-256 is {digest}, "
                f"not {expected}. {fix}")
        return local
    try:  # alone, as in Colab: fetch the file from the course repository
        path = Path(keras.utils.get_file(
            name.replace("/", "_"), f"{DATA_URL}/{name}",
            cache_subdir="rnn_course"))
    except Exception as err:
        raise CourseDataError(
            f"Data file {name} is not next to this notebook (no folder "
            f"{local.parent}) and could not be downloaded "
            f"({type(err).__name__}: {err}). Connect to the internet and "
            "run this cell again, or copy the folder notebooks/data of "
            "the course repository next to this notebook.") from None
    digest = sha256_of(path)
    if digest != expected:
        path.unlink()
        raise CourseDataError(
            f"The downloaded copy of {name} has SHA-256 {digest}, not "
            f"{expected}; it was deleted. Run this cell again.")
    return path
