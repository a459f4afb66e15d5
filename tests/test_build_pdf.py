"""`make pdf`: the whole book as one PDF, every chapter in it with its equations and figures.

course_tools/build_pdf.py builds the book as one HTML page and prints it with Chromium (as the browser test
opens the pages: without a Chromium the test is skipped, except in CI). The PDF's text must hold the title
of every page of _toc.yml, no equation left as LaTeX source, and at least one image per figure of the
notebooks.
"""

import json
import re

import pytest
from conftest import REPO, missing
from pypdf import PdfReader

from course_tools.book_facts import toc_files
from course_tools.browser import chromium_path


@pytest.fixture(scope="module")
def pdf(pdf_build):
    if chromium_path() is None:
        missing("No Chromium found: install Debian's package with `apt-get install chromium`.")
    process, out = pdf_build  # started with the book's build (conftest.py), or now
    stdout, stderr = process.communicate(timeout=900)
    assert process.returncode == 0, stdout[-3000:] + stderr[-3000:]
    return PdfReader(out)


@pytest.fixture(scope="module")
def text(pdf):
    return " ".join(page.extract_text() for page in pdf.pages)


def words(text):
    return " ".join(re.sub(r"[^\w]+", " ", text).split()).lower()


def page_titles():
    titles = []
    for page in toc_files():
        path = REPO / f"{page}.ipynb" if page.startswith("notebooks/") else REPO / f"{page}.md"
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "".join(cells[0]["source"])
        else:
            text = path.read_text(encoding="utf-8")
        titles.append(re.search(r"^# (.+)$", text, re.M)[1])
    return titles


def test_every_page_of_the_book_is_in_the_pdf(pdf, text):
    missing = [title for title in page_titles() if words(title) not in words(text)]
    assert not missing, f"not in the PDF: {missing}"
    assert len(pdf.pages) > 100


def test_equations_are_typeset_not_left_as_latex(text):
    assert "\\frac" not in text and "\\begin{" not in text and "$$" not in text


def test_every_figure_is_in_the_pdf(pdf):
    figures = 0
    for path in (REPO / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            figures += sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    assert images_in(pdf) >= figures > 0


def images_in(pdf):
    """How many images the PDF's pages draw (counted from each page's resources, without decoding them)."""
    count = 0
    for page in pdf.pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        count += sum(objects[name].get_object().get("/Subtype") == "/Image" for name in objects)
    return count
