"""Shared test configuration. The hooks that must also apply when only notebooks are collected
(`pytest notebooks/X.ipynb`) live in course_plugin.py, which pytest.ini loads with -p."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_code import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def missing(reason):
    """Skip a test that needs what this machine lacks (Chromium, Playwright); in CI, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} The browser tests must run in CI; .ci/run installs Debian's chromium.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """Build the book exactly as `make book` does, both editions, into a temporary folder: (result, html
    folder); the Chinese edition is in its zh/ folder. The result is the first build that failed, if any."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    options = ["--builder", "html", "-W", "-n", "--keep-going"]
    result = subprocess.run([str(jupyter_book), "build", str(REPO), *options, "--path-output", str(out)],
                            capture_output=True, text=True, timeout=1200)
    html = out / "_build" / "html"
    if result.returncode == 0:
        result = subprocess.run([str(jupyter_book), "build", str(REPO / "zh"), *options,
                                 "--path-output", str(out / "zh")], capture_output=True, text=True, timeout=1200)
        shutil.copytree(out / "zh" / "_build" / "html", html / "zh")
    return result, html


def pages(html):
    """The built pages a reader can open (not the assets, not the generated index)."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts and p.name != "genindex.html")
