"""The first cell of every notebook: what Google Colab lacks, and the versions
the course is tested with, its own and Colab's (course_tools/colab_cell.py
writes the cell)."""

import importlib.metadata
import subprocess
import sys

from course_tools.notebooks import requirement_pins

PACKAGES = ("tensorflow", "keras", "numpy", "matplotlib")
TESTED_WITH = {package: [requirement_pins(name)[package] for name in
                         ("requirements.txt", "requirements-colab.txt")]
               for package in PACKAGES}


def installed(package):
    """The installed version of `package`, or None."""
    names = [package] + (["tensorflow-cpu"] if package == "tensorflow" else [])
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return None


def install_tf_keras():
    """In Colab only, tf-keras (Keras 2, which TensorFlow 1's RNN cells
    need), matching TensorFlow, if the runtime lacks it."""
    if "google.colab" in sys.modules and installed("tf-keras") is None:
        tf_minor = ".".join(installed("tensorflow").split(".")[:2])
        subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                        f"tf-keras~={tf_minor}.0"], check=True)
        importlib.invalidate_caches()


def check_runtime():
    """Stop with the command that installs a missing package; note a
    version other than those the course was tested with."""
    for package, tested in TESTED_WITH.items():
        found = installed(package)
        if found is None:
            raise ModuleNotFoundError(f"This notebook needs {package}: "
                                      f"pip install {package}=={tested[0]}")
        minor = found.split(".")[:2]
        if all(minor != version.split(".")[:2] for version in tested):
            print(f"Note: the course was tested with {package} "
                  f"{' and '.join(tested)}; this runtime has {found}, so "
                  "numbers may differ a little.")
    if int(installed("keras").split(".")[0]) < 3:
        raise ModuleNotFoundError("This course needs Keras 3: pip install "
                                  f"keras=={TESTED_WITH['keras'][0]}")
