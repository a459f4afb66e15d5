"""The book builds with Sphinx warnings as errors, and the built site needs no network (the build: conftest.py)."""

import json
import re

from conftest import NOTEBOOKS, pages

from course_tools.book_facts import toc_files
from notebook_helpers.config import COLAB_URL

NOTEBOOK_PAGES = [f"notebooks/{path.stem}" for path in NOTEBOOKS]


def test_book_builds_without_warnings(build):
    result, html = build
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    assert "WARNING" not in log and "ERROR" not in log, log[-5000:]
    for page in toc_files():
        assert (html / f"{page}.html").is_file(), page


def test_every_asset_is_served_by_the_book(build):
    _, html = build
    for page in pages(html):
        text = page.read_text(encoding="utf-8")
        external_assets = [tag for tag in re.findall(r'<(?:script|link)\b[^>]*>', text)
                           if re.search(r'(?:src|href)="(?:https?:)?//', tag)
                           and 'rel="canonical"' not in tag]
        assert not external_assets, f"{page.relative_to(html)} loads {external_assets} from the network"
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert (html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_pages_with_math_load_the_local_mathjax(build):
    _, html = build
    page = (html / "notebooks" / "keras_rnn_mnist.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]+src="\.\./_static/mathjax/tex-chtml\.js', page)
    assert r"W_{hx}" in page


def test_notebook_pages_launch_in_colab_on_the_configured_branch(build):
    _, html = build
    for name in NOTEBOOK_PAGES:
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        assert f'href="{COLAB_URL}{name}.ipynb"' in page, name


def test_tensorflow_log_lines_never_reach_a_page(build):
    _, html = build
    for page in pages(html):
        text = page.read_text(encoding="utf-8")
        for noise in ("oneDNN custom operations", "I0000 00:00", "E0000 00:00", "W0000 00:00",
                      "absl::InitializeLog", "cpu_feature_guard"):
            assert noise not in text, f"{page.relative_to(html)} shows TensorFlow's log line {noise!r}"


def test_figures_are_shown_with_their_captions_and_alt_texts(build):
    """In both editions; an image with no alt text (mystnb.image.alt) would get its file name as one."""
    _, html = build
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        captions = [cell["metadata"]["mystnb"]["figure"]["caption"] for cell in cells
                    if "figure" in cell["metadata"].get("mystnb", {})]
        for edition in (html, html / "zh"):
            page = (edition / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
            assert page.count("<figcaption>") == len(captions), notebook.name
            alts = [re.search(r'<img [^>]*alt="([^"]*)"', figure)[1]
                    for figure in re.findall(r"<figure\b.*?</figure>", page, re.S)]
            assert len(alts) == len(captions), notebook.name
            assert all(alt.strip() and not alt.endswith(".png") for alt in alts), (notebook.name, alts)


def test_citations_resolve(build):
    _, html = build
    references = (html / "book" / "references.html").read_text(encoding="utf-8")
    for title in ("Finding structure in time", "Long short-term memory", "Gradient-based learning"):
        assert title in references
    page = (html / "notebooks" / "keras_rnn_mnist.html").read_text(encoding="utf-8")
    assert "[Elman, 1990]" in re.sub(r"<[^>]+>", "", page), "a citation in a notebook resolves"
