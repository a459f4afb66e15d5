"""Shared test configuration. The hooks that must also apply when only notebooks are collected
(`pytest notebooks/X.ipynb`) live in course_tools/pytest_plugin.py, which pytest.ini loads with -p."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools import REPO, notebooks, translate

NOTEBOOKS = notebooks.paths()


def missing(reason):
    """Skip a test that needs what this machine lacks (Chromium, Playwright); in CI, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} The browser tests must run in CI; .ci/run installs Debian's chromium.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory):
    """course_tools/build_pdf.py, running in the background: (process, the PDF it writes). `build` starts it beside
    the books when the session holds the PDF's tests: it prints the PDF while the browser test waits on pages."""
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    process = subprocess.Popen([sys.executable, "-m", "course_tools.build_pdf", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield process, out
    if process.poll() is None:
        process.kill()
        process.communicate()


@pytest.fixture(scope="session")
def build(tmp_path_factory, request):
    """Build the book exactly as `make book` does, into a temporary folder: the Chinese edition's notebooks and
    configuration generated, then both editions: (result, html folder); the Chinese edition is in its zh/ folder.
    The result is the first step that failed, if any."""
    if any(item.path.name == "test_build_pdf.py" for item in request.session.items):
        request.getfixturevalue("pdf_build")
    out = tmp_path_factory.mktemp("book")
    generated = subprocess.run([sys.executable, "-m", "course_tools.translate"], capture_output=True, text=True)
    if generated.returncode != 0:
        return generated, out / "_build" / "html"
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    options = ["--builder", "html", "-W", "-n", "--keep-going"]
    # The two books are independent (each its own output folder): built side by side, one per core.
    builds = [subprocess.Popen([str(jupyter_book), "build", str(source), *config, *options, "--path-output",
                                str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for source, config, target in ((REPO, [], out),
                                             (REPO / "zh", ["--config", str(translate.CONFIG)], out / "zh"))]
    results = []
    for build in builds:
        stdout, stderr = build.communicate(timeout=1200)
        results.append(subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr))
    html = out / "_build" / "html"
    if all(result.returncode == 0 for result in results):
        shutil.copytree(out / "zh" / "_build" / "html", html / "zh")
    return next((result for result in results if result.returncode != 0), results[0]), html


def pages(html):
    """The built pages a reader can open (not the assets, not the generated index)."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts and p.name != "genindex.html")
