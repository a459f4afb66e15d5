"""What a notebook runs on: the package versions and the processor."""

import os
import platform

import keras
import matplotlib
import numpy as np
import tensorflow as tf

from notebook_helpers.machine import cpu_name


def print_runtime():
    """Print the versions this notebook runs with and the processor."""
    python = ".".join(platform.python_version_tuple()[:2])
    print(f"Python {python}, TensorFlow {tf.__version__}, "
          f"Keras {keras.__version__}, NumPy {np.__version__}, "
          f"Matplotlib {matplotlib.__version__}")
    print(f"CPU: {cpu_name()} ({os.cpu_count()} cores)")
