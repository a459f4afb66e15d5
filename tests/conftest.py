"""Shared test configuration."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))


def pytest_collectstart(collector):
    # TensorFlow writes its C++ log lines (oneDNN notices, grappler messages) to stderr, with timestamps
    # and process ids. They are not results, so nbval does not compare the stderr stream.
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
