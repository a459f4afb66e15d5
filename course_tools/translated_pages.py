"""The translations the Chinese pages show: the pages themselves, and the chapters' descriptions in their tables.

Checked by `python -m course_tools.translate --check`, recorded by its `--accept` (course_tools/translate.py).
- the pages: zh/book/PAGE.md is translated by hand from book/PAGE.md. i18n/zh_CN/pages.yml records, for each
  page, a fingerprint of every English paragraph it was translated from (each item of a list on its own), with
  the paragraph's first words. A page is stale when a paragraph is new or changed in English, or gone from it.
- the chapters' descriptions (book/chapters.yml): i18n/zh_CN/chapters.yml holds, for each text, the English a
  translation was made from (`en`) beside the translation (`zh`), as the notebooks' files do.
Every translation keeps what KEPT names exactly as the English has it: its formulas, code, labels and links.
"""

import hashlib
import itertools
import re

import yaml

from course_tools import I18N, REPO

PRINTS = I18N / "pages.yml"
CHAPTERS = I18N / "chapters.yml"
PAGES = ["book/intro.md", "book/instructors.md", "book/reproducibility.md", "book/references.md"]
ROLE = re.compile(r"\{[a-z:]+\}`[^`]+`")
# What a translation keeps exactly as the English has it (a role's displayed text is translated, its target kept).
KEPT = {
    "display math": re.compile(r"\$\$.*?\$\$", re.S),
    "inline math": re.compile(r"(?<!\$)\$(?!\$)[^$]+?\$"),
    "inline code": re.compile(r"`[^`\n]+`"),
    "role target": re.compile(r"\{[a-z:]+\}`(?:[^`<]*<)?([^`>]+)>?`"),
    "directive": re.compile(r"(?:```|:::)+\{[a-z-]+\}.*"),
    "directive option": re.compile(r"^:[a-z-]+:.*$", re.M),
    "target label": re.compile(r"^\([^)]+\)=$", re.M),
    "link target": re.compile(r"\]\(([^)]+)\)"),
    "heading level": re.compile(r"^#+ ", re.M),
    "code fence": re.compile(r"^```", re.M),
}
# Words in a formula (`\text{forget gate}`) are prose: a translation may translate them, and keeps the rest.
MATH_WORDS = re.compile(r"\\text\{[^{}]*\}")


def kept_parts_differ(en, zh):
    """The kinds of untranslatable parts (math, code, labels, links...) that the translation changed."""
    def parts(text, name):
        found = KEPT[name].findall(ROLE.sub("", text) if name == "inline code" else text)
        if name.endswith("math"):
            found = [MATH_WORDS.sub(r"\\text{}", part) for part in found]
        return sorted(found)
    return [name for name in KEPT if parts(en, name) != parts(zh, name)]


def current(entry, text):
    """What is wrong with a translation record {"en", "zh"} of the English `text` (to follow its name), or None."""
    if not entry or not (entry.get("zh") or "").strip():
        return " has no translation"
    if entry["en"] != text:
        return " changed in English since it was translated"
    if kept_parts_differ(text, entry["zh"]):
        return ": the translation changed its " + ", ".join(kept_parts_differ(text, entry["zh"]))
    return None


def header(path):
    """The comment lines a YAML file opens with, which its rewriting keeps."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    return "".join(itertools.takewhile(lambda line: line.startswith("#"), lines))


# --- the chapters' descriptions (book/chapters.yml) ---------------------------------------------------

def chapter_texts():
    """Each translatable text of book/chapters.yml by its place, e.g. ("chapters", "gru", "sections", 0)."""
    data = yaml.safe_load((REPO / "book" / "chapters.yml").read_text(encoding="utf-8"))
    found = {}
    for stem, chapter in data["chapters"].items():
        found.update({("chapters", stem, "sections", i): section for i, section in enumerate(chapter["sections"])})
        found[("chapters", stem, "learn")] = chapter["learn"]
        if isinstance(chapter["needs"], str):  # otherwise a list of chapters, named by their titles
            found[("chapters", stem, "needs")] = chapter["needs"]
    for i, other in enumerate(data.get("other_sections", [])):
        found[("other_sections", i, "section")] = other["section"]
        found[("other_sections", i, "covered_by")] = other["covered_by"]
    return found


def chapter_entries():
    """i18n/zh_CN/chapters.yml's entries ({"en", "zh"}) by their place, as chapter_texts() names them."""
    def walk(node, place):
        if isinstance(node, dict) and "en" in node:
            yield place, node
        elif isinstance(node, dict | list):
            for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
                yield from walk(value, (*place, key))

    return dict(walk(yaml.safe_load(CHAPTERS.read_text(encoding="utf-8")) if CHAPTERS.exists() else {}, ()))


def chapter_translation():
    """{place: Chinese text} of the chapters' descriptions; the English stands in for one not translated yet, or
    translated from English that has changed since (chapter_problems() names it; tests/test_translation.py fails)."""
    entries = chapter_entries()
    return {place: entries[place]["zh"] if place in entries and entries[place]["en"] == text
            and (entries[place].get("zh") or "").strip() else text
            for place, text in chapter_texts().items()}


def chapter_problems():
    entries = chapter_entries()
    return [f"chapters: {'.'.join(map(str, place))}{current(entries.get(place), text)}"
            for place, text in chapter_texts().items() if current(entries.get(place), text)]


def update_chapters(accept=False):
    """Add an empty entry for each new English text; refresh `en` of entries not yet translated (with accept,
    of every entry: its translation has been brought up to date)."""
    entries, data = chapter_entries(), {}
    for place, text in chapter_texts().items():
        old = entries.get(place) or {}
        zh = old.get("zh") or ""
        node = data
        for key, inner in zip(place[:-1], place[1:]):
            if isinstance(node, list):  # the places come in order: a list grows by one item at a time
                if key == len(node):
                    node.append([] if isinstance(inner, int) else {})
                node = node[key]
            else:
                node = node.setdefault(key, [] if isinstance(inner, int) else {})
        entry = {"en": text if accept or not zh.strip() else old["en"], "zh": zh}
        if isinstance(node, list):
            node.append(entry)
        else:
            node[place[-1]] = entry
    CHAPTERS.write_text(header(CHAPTERS) + yaml.dump(data, allow_unicode=True, sort_keys=False, width=110),
                        encoding="utf-8")


# --- the pages (book/*.md, translated by hand into zh/book/) ---------------------------------------------

def paragraphs(page):
    """{fingerprint: first words} of each paragraph of an English page."""
    found = {}
    for paragraph in re.split(r"\n\s*\n|\n(?=- |\d+\. )", (REPO / page).read_text(encoding="utf-8")):
        words = " ".join(paragraph.split())
        if words:
            found[hashlib.sha256(words.encode()).hexdigest()[:12]] = words[:60]
    return found


def recorded():
    return yaml.safe_load(PRINTS.read_text(encoding="utf-8")) if PRINTS.exists() else {}


def page_problems():
    """Every page whose translation is missing or behind its English, as readable lines."""
    prints, listed = recorded(), []
    for page in PAGES:
        if not (REPO / "zh" / page).exists():
            listed.append(f"{page} has no translation: write zh/{page}, then run --accept {page}")
        elif page not in prints:
            listed.append(f"{page}: no record of the English it was translated from: run --accept {page}")
        else:
            now, then = paragraphs(page), prints[page]
            listed += [f"{page}: the paragraph {words!r} is new or changed in English since zh/{page} was "
                       "translated" for key, words in now.items() if key not in then]
            listed += [f"{page}: the paragraph that began {words!r} is no longer in English: take it out of "
                       f"zh/{page}" for key, words in then.items() if key not in now]
    return listed


def accept_page(page):
    """Record the current English of `page` as the one zh/PAGE was translated from."""
    prints = {**recorded(), page: paragraphs(page)}
    PRINTS.write_text(header(PRINTS) + yaml.dump({name: prints[name] for name in PAGES if name in prints},
                                                 allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
