"""What a notebook runs on: the package versions and the processor."""

import os
import platform
from pathlib import Path

import keras
import matplotlib
import numpy as np
import tensorflow as tf


def cpu_name():
    """The processor's model name, as the operating system reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def print_runtime():
    """Print the versions this notebook runs with and the processor."""
    print(f"Python {platform.python_version()}, TensorFlow {tf.__version__}, "
          f"Keras {keras.__version__}, NumPy {np.__version__}, "
          f"Matplotlib {matplotlib.__version__}")
    print(f"CPU: {cpu_name()} ({os.cpu_count()} cores)")
