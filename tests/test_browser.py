"""The built book as a reader sees it: every page opened in headless Chromium, with no network.

The book (built once per run, see conftest.py) is served on localhost and each page is opened with
Playwright driving the system's Chromium (Playwright's own browser download is not used). On each page:
a title, no Sphinx or notebook error box, nothing wider than the text column, every equation rendered by
MathJax, every image loaded, every link inside the book pointing at a page and anchor that exist, no
request that fails, no violation of impact serious or critical that axe-core finds (axe-playwright-python
runs it in the page), and on a notebook page the Colab launch link for that notebook on the branch that
_config.yml names (for a Chinese one, `zh_notebooks_branch`, where the publishing workflow writes them).
The pages are those of _toc.yml, with the two that Jupyter Book adds (the index, which forwards to the root
page, and the search page); the MNIST chapter is also opened in dark mode and on a phone's screen (VIEWS),
where axe-core finds nothing serious either and nothing is wider than the screen. A screenshot of each page
and view is written to _build/screenshots/ (JPEG; uploaded by the CI workflow). The pages are opened four at a
time in one browser (most of a page's time is spent waiting for it to settle), then each page's test reads what
was found on it.

Chromium: `chromium` (Debian), `chromium-browser` or `google-chrome` on the PATH, or the path in
$CHROMIUM. `.ci/run` installs Debian's package when none is there. Without a browser the tests are
skipped with a message, except where $CI is set: there they fail.
"""

import asyncio
import functools
import re
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import REPO, missing, pages
from sphinx_external_toc.parsing import parse_toc_yaml

from course_tools import translate
from course_tools.browser import CHROMIUM_ARGS, chromium_path
from notebook_helpers.config import BRANCH, COLAB_URL

# Jupyter Book adds two pages to those of _toc.yml: the index (forwarding to the root) and the search. The
# Chinese edition, in zh/, has the same pages (zh/_toc.yml) and a glossary.
BOOK_PAGES = ["index", *parse_toc_yaml(REPO / "_toc.yml"), "search",
              "zh/index", *(f"zh/{name}" for name in parse_toc_yaml(REPO / "zh" / "_toc.yml")), "zh/search"]
ZH_CONFIG = translate.chinese_config()
# Pages only the Chinese edition has (its glossary): no link to the other language.
ONLY_IN_CHINESE = ZH_CONFIG["sphinx"]["config"]["other_edition_only_here"]
ZH_COLAB_URL = COLAB_URL.replace(f"/blob/{BRANCH}/", f"/blob/{ZH_CONFIG['sphinx']['config']['zh_notebooks_branch']}/")
SCREENSHOTS = REPO / "_build" / "screenshots"
# The MNIST chapter (figures, equations, Keras's coloured model summary) in the theme's dark mode and on a phone's
# screen, 390 px wide; every page is opened as VIEWS[""] shows it.
VIEWED = "notebooks/keras_rnn_mnist"
VIEWS = {"": {"viewport": {"width": 1280, "height": 900}},
         "dark": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
         "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}
SERIOUS = ("serious", "critical")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(build):
    """The built book served on localhost: (base URL, html folder)."""
    result, html = build
    assert result.returncode == 0, "the book did not build: see test_book.py"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html
    server.shutdown()
    server.server_close()


def async_playwright():
    """Playwright's async API and the Chromium to drive, or a skip (a failure in CI) saying what is missing."""
    path = chromium_path()
    if path is None:
        missing("No Chromium found (tried $CHROMIUM, chromium, chromium-browser, google-chrome): "
                "install Debian's package with `apt-get install chromium`.")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        missing("Playwright is not installed: pip install -r requirements.txt.")
    return async_playwright, path


def with_browser(work, args=CHROMIUM_ARGS):
    """Run `await work(browser)` in a fresh headless Chromium, and return what it returns."""
    playwright, path = async_playwright()

    async def run():
        async with playwright() as driver:
            browser = await driver.chromium.launch(executable_path=path, args=args)
            try:
                return await work(browser)
            finally:
                await browser.close()

    return asyncio.run(run())


def test_every_built_page_is_checked(site):
    _, html = site
    built = {str(page.relative_to(html).with_suffix("")) for page in pages(html)}
    assert built == set(BOOK_PAGES), "every built page comes from _toc.yml, or is the index or the search"


# The characters that the page's font draws exactly as it draws one that no font has (U+10FFFD): the
# empty boxes ("tofu") of a missing font. JavaScript, for page.evaluate; `main` is the article.
TOFU = """
function tofu(characters) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 40;
    const context = canvas.getContext("2d");
    const family = getComputedStyle(main.querySelector("p") || main).fontFamily;
    const draw = character => {
        context.clearRect(0, 0, 40, 40);
        context.font = `24px ${family}`;
        context.fillText(character, 4, 30);
        return context.getImageData(0, 0, 40, 40).data.join(",");
    };
    const missing = draw("\\u{10FFFD}");
    return characters.filter(character => draw(character) === missing);
}
"""


# Visible text of the article, code excluded, and what MathJax left of each math element.
PAGE_FACTS = ("""() => {
    const article = (document.querySelector("article") || document.body).cloneNode(true);
    article.querySelectorAll("pre, code, script, style, mjx-container").forEach(e => e.remove());
    document.body.appendChild(article);
    const text = article.innerText;
    article.remove();
    const main = document.querySelector("article") || document.body;
    return {
        text: text,
        overflow: main.scrollWidth - main.clientWidth,
        pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
        math: Array.from(document.querySelectorAll("article .math")).map(
            e => e.querySelector("mjx-container") !== null),
        errorBoxes: Array.from(document.querySelectorAll(
            ".system-message, .problematic, .output.error, .output.traceback")).map(e => e.innerText.slice(0, 200)),
        images: Array.from(document.images).map(i => [i.getAttribute("src"), i.complete && i.naturalWidth > 0]),
        links: Array.from(document.querySelectorAll("a[href]")).map(a => a.href),
        cjk: (text.match(/[\u4e00-\u9fff]/g) || []).length,
        tofu: tofu(Array.from(new Set(text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g) || []))),
    };
    ${TOFU}
}""").replace("${TOFU}", TOFU.strip())


@functools.cache
def anchors(path):
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


# Each page is a window of its own: none may be throttled as a hidden one while the others are read.
FOREGROUND = ["--disable-background-timer-throttling", "--disable-renderer-backgrounding",
              "--disable-backgrounding-occluded-windows"]


async def visit(browser, base, name, view=""):
    """Open one page as VIEWS[view] shows it, let MathJax finish, take its screenshot, read PAGE_FACTS from it and
    run axe-core on it: its violations of impact SERIOUS, as (rule, impact, nodes, the first three nodes' targets)."""
    from axe_playwright_python.async_playwright import Axe

    page = await browser.new_page(**VIEWS[view])
    page.set_default_timeout(120_000)  # a long page, among others being read on two cores
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    await page.goto(f"{base}{name}.html", wait_until="load")  # the page with its scripts, styles and images
    if name in ("index", "zh/index"):  # Jupyter Book's index forwards to the root page
        await page.wait_for_url(lambda url: not url.endswith("index.html"))
        await page.wait_for_load_state("load")
    # Not Playwright's "networkidle", which Chromium sometimes never reports for one of several open pages.
    await page.evaluate("() => document.fonts.ready.then(() => true)")
    if await page.evaluate("() => window.MathJax !== undefined && MathJax.startup !== undefined"):
        await page.evaluate("() => MathJax.startup.promise.then(() => true)")
    # JPEG: a long page's full-page PNG takes Chromium twice as long to encode.
    await page.screenshot(path=SCREENSHOTS / f"{name.replace('/', '__')}{view and '-' + view}.jpg", full_page=True,
                          quality=80)
    facts = await page.evaluate(PAGE_FACTS)
    violations = (await Axe().run(page)).response["violations"]
    facts.update(title=await page.title(), failed=failed, axe=[
        (found["id"], found["impact"], len(found["nodes"]), [node["target"] for node in found["nodes"][:3]])
        for found in violations if found["impact"] in SERIOUS])
    await page.close()
    return facts


@pytest.fixture(scope="module")
def seen(site):
    """What each page of BOOK_PAGES, and VIEWED in each of VIEWS, showed: {(name, view): facts, or the error that
    stopped its reading}."""
    base, _ = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async def visit_all(browser):
        slots = asyncio.Semaphore(4)

        async def one(name, view):
            async with slots:
                return await visit(browser, base, name, view)

        views = [(name, "") for name in BOOK_PAGES] + [(VIEWED, view) for view in VIEWS if view]
        found = await asyncio.gather(*(one(*view) for view in views), return_exceptions=True)
        return dict(zip(views, found))

    return with_browser(visit_all, CHROMIUM_ARGS + FOREGROUND)


@pytest.mark.parametrize("name", BOOK_PAGES)
def test_page_reads_as_intended(name, site, seen):
    base, html = site
    facts = seen[name, ""]
    if isinstance(facts, Exception):  # the page could not be opened or read: its own test fails
        raise facts
    title, failed = facts["title"], facts["failed"]

    assert title.strip(), "the page has no title"
    assert not facts["errorBoxes"], f"error boxes on the page: {facts['errorBoxes']}"
    assert all(facts["math"]), f"{facts['math'].count(False)} equations were not rendered by MathJax"
    for raw in ("$$", "\\(", "\\["):
        assert raw not in facts["text"], f"raw math {raw!r} left in the text"
    assert facts["overflow"] <= 0, f"something runs {facts['overflow']} px past the text column"
    assert not facts["axe"], f"axe-core's serious violations (rule, impact, nodes, targets): {facts['axe']}"
    broken = [src for src, loaded in facts["images"] if not loaded]
    assert not broken, f"images that did not load: {broken}"
    # Only the browser's own request for a site icon, which Sphinx does not provide, may fail.
    assert [url for url in failed if not url.endswith("/favicon.ico")] == [], "requests that failed"

    for link in facts["links"]:
        url = urllib.parse.urlsplit(link)
        if not link.startswith(base):
            continue
        target = html / urllib.parse.unquote(url.path[len(urllib.parse.urlsplit(base).path):])
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"link to a missing file: {link}"
        if url.fragment and target.suffix == ".html":
            assert urllib.parse.unquote(url.fragment) in anchors(target), f"link to a missing anchor: {link}"

    if name.startswith(("notebooks/", "zh/notebooks/")):
        colab = ZH_COLAB_URL if name.startswith("zh/") else COLAB_URL
        assert f"{colab}{name}.ipynb" in facts["links"], "no Colab launch link for this notebook"
    if name.startswith("zh/") and name != "zh/search":
        assert not facts["tofu"], f"characters drawn as empty boxes (no font has them): {facts['tofu']}"
        assert facts["cjk"] > 0, "a page of the Chinese edition should be in Chinese"
        assert not re.search(r"(Show|Hide) code cell", facts["text"]), "an English fold line (MyST-NB's) on a page"
    other = f"{base}{name.removeprefix('zh/') if name.startswith('zh/') else 'zh/' + name}.html"
    if name not in ("index", "search", "zh/index", "zh/search") and name.removeprefix("zh/") not in ONLY_IN_CHINESE:
        assert other in facts["links"], "no link to the same page in the other language"


@pytest.mark.parametrize("view", [view for view in VIEWS if view])
def test_the_chapter_reads_in_dark_mode_and_on_a_phone(view, seen):
    facts = seen[VIEWED, view]
    if isinstance(facts, Exception):
        raise facts
    assert not facts["axe"], f"axe-core's serious violations (rule, impact, nodes, targets): {facts['axe']}"
    assert facts["pageOverflow"] <= 0, f"the page is {facts['pageOverflow']} px wider than the screen"
    assert facts["overflow"] <= 0, f"something runs {facts['overflow']} px past the text column"


def test_the_missing_glyph_check_finds_a_character_no_font_has():
    # U+E000 is in the Private Use Area: no font of the machine draws it, while a CJK font draws 中.
    main = "const main = document.querySelector('article');"

    async def check(browser):
        page = await browser.new_page()
        await page.set_content("<article><p>中文 \ue000</p></article>")
        return await page.evaluate(f"() => {{ {main} {TOFU} return tofu(['中', '\\ue000']); }}")

    assert with_browser(check) == ["\ue000"]


@pytest.mark.parametrize("edition, word", [("", "forget"), ("zh/", "遗忘门")])
def test_the_search_finds_a_chapter_by_a_word_of_it(site, edition, word):
    # Sphinx indexes Chinese words only when jieba cuts the text into words (requirements.txt).
    base, _ = site

    async def search(browser):
        page = await browser.new_page()
        await page.goto(f"{base}{edition}search.html?q={urllib.parse.quote(word)}", wait_until="load")
        try:
            await page.wait_for_function("() => document.querySelectorAll('ul.search li a').length > 0",
                                         timeout=30_000)
        except Exception:  # Playwright's TimeoutError: nothing was found
            pass
        return await page.evaluate("() => Array.from(document.querySelectorAll('ul.search li a'), a => a.href)")

    found = with_browser(search)
    assert f"{base}{edition}notebooks/lstm.html" in [link.split("?")[0].split("#")[0] for link in found], \
        f"a search for {word!r} in the {edition or 'English '}book does not find the LSTM chapter: {found}"
