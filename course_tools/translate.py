"""The Simplified Chinese edition: its notebooks generated from the English ones, and every translation checked.

The English course is the source. What is translated, and how staleness is seen:
- notebooks: i18n/zh_CN/STEM.yml holds, for each markdown cell and figure caption of notebooks/STEM.ipynb (by
  cell id), the English text a translation was made from (`en`) and the translation (`zh`), and a translation
  of each code comment (by its English text). This script writes zh/notebooks/STEM.ipynb: the English notebook
  with its prose replaced by the translation; code, outputs and figures are the English notebook's own.
- the chapters' descriptions (book/chapters.yml, in the pages' generated tables): i18n/zh_CN/chapters.yml,
  `en` beside `zh` in the same way.
- the pages: zh/book/PAGE.md is translated by hand from book/PAGE.md. i18n/zh_CN/pages.yml records, for each
  page, a fingerprint of every English paragraph it was translated from (generated blocks left out, so a new
  test record does not make a page stale), with the paragraph's first words.

    .venv/bin/python course_tools/translate.py            # write zh/notebooks/ (warns of anything stale)
    .venv/bin/python course_tools/translate.py --check    # list every stale or missing translation; exit 1 if any
    .venv/bin/python course_tools/translate.py --update   # add the English texts that have no entry yet (zh empty)
    .venv/bin/python course_tools/translate.py --accept gru  # gru's translations are up to date: record its English
    .venv/bin/python course_tools/translate.py --accept book/intro.md  # the same for a page (or: chapters)

A translation is stale when the English it was made from has changed. Updating it is one step: edit the Chinese
to say what the English says now, then run --accept for that notebook, page or `chapters`, which records the
current English as the one translated (`git diff i18n/` shows what changed: for a notebook or a chapter the old
`en` beside the new; for a page, --check names the English paragraphs that are new or changed).
"""

import argparse
import copy
import hashlib
import json
import re
import sys
import unicodedata

import yaml

from course_tools import I18N, REPO, ZH

OUT = ZH / "notebooks"
CHAPTERS = I18N / "chapters.yml"
PAGE_PRINTS = I18N / "pages.yml"
PAGES = ["book/intro.md", "book/instructors.md", "book/reproducibility.md", "book/references.md"]
GENERATED = re.compile(r"(<!-- facts:([a-z0-9-]+) -->).*?(<!-- /facts:\2 -->)", re.DOTALL)
WIDTH = 79  # the notebooks' code lines
FULL = re.compile(r"^(\s*)#\s?(.*)$")
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
TRAILING = re.compile(r"""^([^#"']*?(?:(?:"[^"]*"|'[^']*')[^#"']*?)*\s)#\s(.+)$""")


class Literal(str):
    """A string written as a YAML literal block when it has several lines."""


yaml.add_representer(Literal, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def translatable(cell):
    """Whether a code cell's comments are the course's prose (not generated code: the Colab cell, shared code)."""
    metadata = cell.get("metadata", {})
    return not metadata.get("shared") and "colab" not in metadata.get("tags", [])


def comment_units(source):
    """The comments of a code cell: each block of full-line comments joined into one line, each trailing
    comment alone; with (first line, last line, indentation, kind) of where it stands."""
    units, block = [], None
    lines = source.splitlines()
    for number, line in enumerate(lines):
        full = FULL.match(line)
        if full:
            if block is None:
                block = [number, number, full.group(1), []]
            block[1] = number
            block[3].append(full.group(2))
            continue
        if block is not None:
            units.append((" ".join(block[3]), block[0], block[1], block[2], "block"))
            block = None
        trailing = TRAILING.match(line)
        if trailing and not trailing.group(2).startswith("noqa"):
            units.append((trailing.group(2), number, number, trailing.group(1), "trailing"))
    if block is not None:
        units.append((" ".join(block[3]), block[0], block[1], block[2], "block"))
    return units


def texts(nb):
    """What a notebook's translation covers: {"markdown": {id: text}, "captions": {id: text}, "comments": [..]}."""
    found = {"markdown": {}, "captions": {}, "comments": []}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found["markdown"][cell["id"]] = source
        elif cell["cell_type"] == "code":
            caption = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption")
            if caption:
                found["captions"][cell["id"]] = caption
            if translatable(cell):
                found["comments"] += [unit[0] for unit in comment_units(source) if unit[0] not in found["comments"]]
    return found


def load(stem):
    path = I18N / f"{stem}.yml"
    if not path.exists():
        return {"markdown": {}, "captions": {}, "comments": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def english(stem):
    return json.loads((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))


def problems(stem):
    """Every text of notebooks/STEM.ipynb without a current translation, as a readable line."""
    found, data = texts(english(stem)), load(stem)
    listed = []
    for kind in ("markdown", "captions"):
        for key, text in found[kind].items():
            entry = data[kind].get(key)
            if not entry or not (entry.get("zh") or "").strip():
                listed.append(f"{stem}: {kind} of cell {key} has no translation")
            elif entry["en"] != text:
                listed.append(f"{stem}: {kind} of cell {key} changed in English since it was translated")
            elif kept_parts_differ(text, entry["zh"]):
                listed.append(f"{stem}: {kind} of cell {key}: the translation changed its "
                              + ", ".join(kept_parts_differ(text, entry["zh"])))
    for text in found["comments"]:
        if not (data["comments"].get(text) or "").strip():
            listed.append(f"{stem}: the comment {text[:60]!r} has no translation")
    return listed


def update(stem, accept=False):
    """Add an entry for each English text that has none; refresh `en` of entries not yet translated (with
    accept, of every entry: its translation has been brought up to date)."""
    found, data = texts(english(stem)), load(stem)
    for kind in ("markdown", "captions"):
        entries = {}
        for key, text in found[kind].items():
            entry = data[kind].get(key) or {"zh": ""}
            if accept or not (entry.get("zh") or "").strip():
                entry["en"] = text
            entries[key] = {"en": Literal(entry["en"]), "zh": Literal(entry.get("zh") or "")}
        data[kind] = entries
    data["comments"] = {text: Literal(data["comments"].get(text) or "") for text in found["comments"]}
    I18N.mkdir(parents=True, exist_ok=True)
    (I18N / f"{stem}.yml").write_text(
        yaml.dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


# --- the chapters' descriptions (book/chapters.yml) ---------------------------------------------------

def chapter_texts():
    """Each translatable text of book/chapters.yml by its place, e.g. ("chapters", "gru", "sections", 0)."""
    data = yaml.safe_load((REPO / "book" / "chapters.yml").read_text(encoding="utf-8"))
    found = {}
    for stem, chapter in data["chapters"].items():
        for i, section in enumerate(chapter["sections"]):
            found[("chapters", stem, "sections", i)] = section
        found[("chapters", stem, "learn")] = chapter["learn"]
        if isinstance(chapter["needs"], str):  # otherwise a list of chapters, named by their titles
            found[("chapters", stem, "needs")] = chapter["needs"]
    for i, other in enumerate(data.get("other_sections", [])):
        found[("other_sections", i, "section")] = other["section"]
        found[("other_sections", i, "covered_by")] = other["covered_by"]
    return found


def chapter_entries():
    """i18n/zh_CN/chapters.yml's entries ({"en", "zh"}) by their place, as chapter_texts() names them."""
    data = yaml.safe_load(CHAPTERS.read_text(encoding="utf-8")) if CHAPTERS.exists() else {}

    def walk(node, place):
        if isinstance(node, dict) and "en" in node:
            yield place, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, (*place, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, (*place, i))

    return dict(walk(data, ()))


def chapter_translation():
    """{place: Chinese text} of the chapters' descriptions; the English stands in for one not translated yet, or
    translated from English that has changed since (chapter_problems() names it; tests/test_translation.py fails)."""
    entries = chapter_entries()
    return {place: entries[place]["zh"] if place in entries and entries[place]["en"] == text
            and (entries[place].get("zh") or "").strip() else text
            for place, text in chapter_texts().items()}


def chapter_problems():
    entries, listed = chapter_entries(), []
    for place, text in chapter_texts().items():
        entry, name = entries.get(place), "chapters: " + ".".join(map(str, place))
        if not entry or not (entry.get("zh") or "").strip():
            listed.append(f"{name} has no translation")
        elif entry["en"] != text:
            listed.append(f"{name} changed in English since it was translated")
        elif kept_parts_differ(text, entry["zh"]):
            listed.append(f"{name}: the translation changed its " + ", ".join(kept_parts_differ(text, entry["zh"])))
    return listed


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
    CHAPTERS.write_text(CHAPTERS_HEADER + yaml.dump(data, allow_unicode=True, sort_keys=False, width=110),
                        encoding="utf-8")


CHAPTERS_HEADER = """\
# The Chinese of book/chapters.yml: what the Chinese pages' generated tables (zh/book/intro.md,
# zh/book/instructors.md) say about each chapter. As in the notebooks' files, `en` is the English text a
# translation was made from: course_tools/translate.py --check reports an entry whose English has changed since.
# Written by `course_tools/translate.py --accept chapters` (edit the `zh` texts, then run it).
"""


# --- the pages (book/*.md, translated by hand into zh/book/) ---------------------------------------------

def paragraphs(page):
    """{fingerprint: first words} of each paragraph of an English page (each item of a list on its own), its
    generated blocks emptied."""
    text = GENERATED.sub(r"\1\3", (REPO / page).read_text(encoding="utf-8"))
    found = {}
    for paragraph in re.split(r"\n\s*\n|\n(?=- |\d+\. )", text):
        words = " ".join(paragraph.split())
        if words:
            found[hashlib.sha256(words.encode()).hexdigest()[:12]] = words[:60]
    return found


def page_problems():
    recorded = yaml.safe_load(PAGE_PRINTS.read_text(encoding="utf-8")) if PAGE_PRINTS.exists() else {}
    listed = []
    for page in PAGES:
        if not (REPO / "zh" / page).exists():
            listed.append(f"{page} has no translation: write zh/{page}, then run --accept {page}")
            continue
        if page not in recorded:
            listed.append(f"{page}: no record of the English it was translated from: run --accept {page}")
            continue
        now, then = paragraphs(page), recorded[page]
        listed += [f"{page}: the paragraph {words!r} is new or changed in English since zh/{page} was translated"
                   for key, words in now.items() if key not in then]
        listed += [f"{page}: the paragraph that began {words!r} is no longer in English: take it out of zh/{page}"
                   for key, words in then.items() if key not in now]
    return listed


def accept_page(page):
    recorded = yaml.safe_load(PAGE_PRINTS.read_text(encoding="utf-8")) if PAGE_PRINTS.exists() else {}
    recorded[page] = paragraphs(page)
    PAGE_PRINTS.write_text(
        "# The English paragraphs each Chinese page (zh/book/) was translated from: a fingerprint of each, with its\n"
        "# first words. Written by `course_tools/translate.py --accept PAGE`; checked by --check.\n"
        + yaml.dump({page: recorded[page] for page in PAGES if page in recorded}, allow_unicode=True,
                    sort_keys=False, width=1000), encoding="utf-8")


def columns(text):
    """How many columns the text takes in a fixed-width font: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text, width):
    """Lines of at most `width` columns, broken at a space or between two Chinese characters."""
    lines, line = [], ""
    for token in re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]|\S+|\s+", text):
        if line and columns(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def translate_code(source, comments):
    """The code cell's source with each comment replaced by its translation (blocks wrapped again)."""
    lines = source.splitlines()
    for text, first, last, indent, kind in reversed(comment_units(source)):
        zh = (comments.get(text) or "").strip()
        if not zh:
            continue
        if kind == "trailing":
            lines[first] = f"{indent}# {zh}"
        else:
            lines[first:last + 1] = [f"{indent}# {line}" for line in wrap(zh, WIDTH - len(indent) - 2)]
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


# The lines that fold generated cells (course_tools/colab_cell.py, course_tools/shared_code.py), in Chinese.
PROMPTS = {"Show the Colab cell: installs and version checks": "显示 Colab 单元格：安装与版本检查",
           "Show the shared helpers: ": "显示共用的辅助代码："}


def prompt(english_text):
    for english_start, chinese in PROMPTS.items():
        if english_text.startswith(english_start):
            return chinese + english_text.removeprefix(english_start)
    raise ValueError(f"no translation for the fold line {english_text!r}: add it to PROMPTS")


def translated(entries, key, english_text):
    """The translation of a cell's text, or the English text where there is none yet."""
    return ((entries.get(key) or {}).get("zh") or "").strip() and entries[key]["zh"] or english_text


def build(stem):
    nb, data = english(stem), load(stem)
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            source = translated(data["markdown"], cell["id"], source)
        elif cell["cell_type"] == "code":
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
            if figure.get("caption"):
                figure["caption"] = translated(data["captions"], cell["id"], figure["caption"])
            if translatable(cell):
                source = translate_code(source, data["comments"])
            mystnb = cell.get("metadata", {}).get("mystnb", {})
            if "code_prompt_show" in mystnb:
                mystnb["code_prompt_show"] = prompt(mystnb["code_prompt_show"])
        cell["source"] = source.splitlines(keepends=True)
    out["metadata"]["language"] = "zh_CN"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{stem}.ipynb").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# The Chinese book's settings that differ from the English book's (_config.yml); every other setting is
# the English book's, with its paths taken from zh/.
ZH_CONFIG = {
    "title": "TensorFlow 与 Keras 中的循环神经网络",
    "author": "RNNs in TensorFlow & Keras 课程的贡献者",
    "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
}
ZH_SPHINX = {"language": "zh_CN", "other_edition_root": "../", "other_edition_label": "English",
             "other_edition_lang": "en", "other_edition_only_here": ["book/glossary"],
             # MyST-NB's fold lines ("Show code cell source"), which Sphinx's language does not translate
             "nb_code_prompt_show": "显示代码", "nb_code_prompt_hide": "隐藏代码",
             "search_words_page": "book/glossary.md"}  # book/_ext/chinese_search.py


def chinese_config():
    """zh/_config.yml's text: the English book's configuration, seen from zh/, with ZH_CONFIG and ZH_SPHINX."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config.update(ZH_CONFIG)
    config["bibtex_bibfiles"] = [f"../{path}" for path in config["bibtex_bibfiles"]]
    config["repository"]["path_to_book"] = "zh"
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {name: f"../{path}" for name, path in sphinx["local_extensions"].items()}
    sphinx["local_extensions"]["chinese_search"] = "../book/_ext"
    sphinx["config"]["html_static_path"] = [f"../{path}" for path in sphinx["config"]["html_static_path"]]
    sphinx["config"].update(ZH_SPHINX)
    return ("# The Chinese edition's Jupyter Book configuration, written by course_tools/translate.py from\n"
            "# ../_config.yml (edit that file, or ZH_CONFIG in the script, and run it again).\n"
            + yaml.dump(config, allow_unicode=True, sort_keys=False, width=110))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stems", nargs="*", help="notebooks (default: all); with --accept also pages "
                        "(book/intro.md) and `chapters`")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--accept", action="store_true",
                        help="record the current English of the named notebooks, pages or chapters as translated")
    args = parser.parse_args(argv)
    if args.accept and not args.stems:
        parser.error("--accept needs what was brought up to date: notebook names, pages (book/intro.md) "
                     "or `chapters`")
    unknown = [name for name in args.stems if "/" in name and name not in PAGES]
    if unknown:
        parser.error(f"not a translated page: {', '.join(unknown)} (pages: {', '.join(PAGES)})")
    pages = [name for name in args.stems if name in PAGES]
    stems = ([name for name in args.stems if name not in PAGES and name != "chapters"] if args.stems
             else sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb")))
    if args.update or args.accept:
        for stem in stems:
            update(stem, accept=args.accept)
        for page in pages:
            accept_page(page)
        if "chapters" in args.stems or not args.stems:
            update_chapters(accept=args.accept)
        print(f"updated the translation records in {I18N.relative_to(REPO)}")
    listed = [line for stem in stems for line in problems(stem)]
    if not args.stems:  # the whole edition: its chapter descriptions and pages too
        listed += chapter_problems() + page_problems()
    if args.check:
        print("\n".join(listed) or "every translation is current")
        return 1 if listed else 0
    if listed:  # the book still builds; tests/test_translation.py fails until they are translated
        print("warning: the Chinese edition is behind the English one (the English text stands in where a "
              "translation is missing):\n  " + "\n  ".join(listed))
    for stem in stems:
        build(stem)
    (REPO / "zh" / "_config.yml").write_text(chinese_config(), encoding="utf-8")
    print(f"wrote {len(stems)} notebooks into {OUT.relative_to(REPO)}, and zh/_config.yml" if stems
          else "wrote zh/_config.yml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
