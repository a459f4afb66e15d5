"""The machine a notebook or a test run runs on (no TensorFlow needed)."""

import platform
from pathlib import Path


def cpu_name():
    """The processor's model name, as the operating system reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()
