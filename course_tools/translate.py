"""The Simplified Chinese edition: its notebooks and book configuration generated, and every translation checked.

The English course is the source. What is translated, and how staleness is seen:
- notebooks: i18n/zh_CN/STEM.yml holds, for each markdown cell and figure caption of notebooks/STEM.ipynb (by
  cell id), the English text a translation was made from (`en`) and the translation (`zh`), and a translation
  of each code comment (by its English text). zh/notebooks/STEM.ipynb is generated from them (by `make book`;
  never committed): the English notebook with its prose replaced by the translation; code, outputs and figures
  are the English notebook's own.
- the chapters' descriptions (book/chapters.yml, in the pages' tables): i18n/zh_CN/chapters.yml, `en` beside
  `zh` in the same way.
- the pages, translated by hand into zh/book/: course_tools/translated_pages.py.
- the edition's interface (its title, fold lines, link labels): i18n/zh_CN/interface.yml, under `book:`. The
  Chinese book's configuration is generated into _build/zh/_config.yml from it and ../_config.yml.

    .venv/bin/python -m course_tools.translate            # write zh/notebooks/ and the book's configuration
    .venv/bin/python -m course_tools.translate --check    # list every stale or missing translation; exit 1 if any
    .venv/bin/python -m course_tools.translate --update   # add the English texts that have no entry yet (zh empty)
    .venv/bin/python -m course_tools.translate --accept gru  # gru's translations are up to date: record its English
    .venv/bin/python -m course_tools.translate --accept book/intro.md  # the same for a page (or: chapters)

A translation is stale when the English it was made from has changed. Updating it is one step: edit the Chinese
to say what the English says now, then run --accept for that notebook, page or `chapters`, which records the
current English as the one translated (`git diff i18n/` shows what changed: for a notebook or a chapter the old
`en` beside the new; for a page, --check names the English paragraphs that are new or changed).
"""

import argparse
import re
import sys
import unicodedata

import yaml

from course_tools import BUILD, I18N, NOTEBOOKS, REPO, ZH, notebooks
from course_tools.translated_pages import PAGES, accept_page, chapter_problems, current, page_problems, update_chapters

OUT = ZH / "notebooks"
CONFIG = BUILD / "zh" / "_config.yml"
WIDTH = 79  # the notebooks' code lines
FULL = re.compile(r"^(\s*)#\s?(.*)$")
TRAILING = re.compile(r"""^([^#"']*?(?:(?:"[^"]*"|'[^']*')[^#"']*?)*\s)#\s(.+)$""")
# The Chinese book's settings that are not words (its words are interface.yml's); every other setting is the
# English book's, with its paths seen from zh/.
ZH_SPHINX = {"other_edition_root": "../", "other_edition_lang": "en", "other_edition_only_here": ["book/glossary"],
             "search_words_page": "book/glossary.md"}  # course_tools/sphinx_ext.py


def interface():
    """The Chinese edition's interface strings: `book:` of i18n/zh_CN/interface.yml."""
    return yaml.safe_load((I18N / "interface.yml").read_text(encoding="utf-8"))["book"]


class Literal(str):
    """A string written as a YAML literal block when it has several lines."""


yaml.add_representer(Literal, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def translatable(cell):
    """Whether a code cell's comments are the course's prose (not generated code: the Colab cell, shared code)."""
    return not cell.metadata.get("shared") and "colab" not in notebooks.tags(cell)


def comment_units(source):
    """The comments of a code cell: each block of full-line comments joined into one line, each trailing
    comment alone; with (first line, last line, indentation, kind) of where it stands."""
    units, block = [], None
    for number, line in enumerate(source.splitlines()):
        full = FULL.match(line)
        if full:
            block = block or [[], number, number, full.group(1), "block"]
            block[0].append(full.group(2))
            block[2] = number
            continue
        if block is not None:
            units.append((" ".join(block[0]), *block[1:]))
            block = None
        trailing = TRAILING.match(line)
        if trailing and not trailing.group(2).startswith("noqa"):
            units.append((trailing.group(2), number, number, trailing.group(1), "trailing"))
    return units + ([(" ".join(block[0]), *block[1:])] if block else [])


def figure(cell):
    return cell.metadata.get("mystnb", {}).get("figure", {})


def texts(nb):
    """What a notebook's translation covers: {"markdown": {id: text}, "captions": {id: text}, "comments": [..]}."""
    found = {"markdown": {}, "captions": {}, "comments": []}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found["markdown"][cell.id] = cell.source
        elif cell.cell_type == "code":
            if figure(cell).get("caption"):
                found["captions"][cell.id] = figure(cell)["caption"]
            if translatable(cell):
                found["comments"] += [unit[0] for unit in comment_units(cell.source)
                                      if unit[0] not in found["comments"]]
    return found


def load(stem):
    path = I18N / f"{stem}.yml"
    if not path.exists():
        return {"markdown": {}, "captions": {}, "comments": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def english(stem):
    return notebooks.read(NOTEBOOKS / f"{stem}.ipynb")


def problems(stem):
    """Every text of notebooks/STEM.ipynb without a current translation, as a readable line."""
    found, data = texts(english(stem)), load(stem)
    listed = [f"{stem}: {kind} of cell {key}{current(data[kind].get(key), text)}"
              for kind in ("markdown", "captions") for key, text in found[kind].items()
              if current(data[kind].get(key), text)]
    return listed + [f"{stem}: the comment {text[:60]!r} has no translation" for text in found["comments"]
                     if not (data["comments"].get(text) or "").strip()]


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
    (I18N / f"{stem}.yml").write_text(yaml.dump(data, allow_unicode=True, sort_keys=False, width=1000),
                                      encoding="utf-8")


# --- the generated edition --------------------------------------------------------------------------------

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
        if zh and kind == "trailing":
            lines[first] = f"{indent}# {zh}"
        elif zh:
            lines[first:last + 1] = [f"{indent}# {line}" for line in wrap(zh, WIDTH - len(indent) - 2)]
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


def fold_line(english_text, fold_lines):
    """The Chinese of a generated cell's fold line (interface.yml's fold_lines, by the English line's start)."""
    for start, chinese in fold_lines.items():
        if english_text.startswith(start):
            return chinese + english_text.removeprefix(start)
    raise ValueError(f"no translation for the fold line {english_text!r}: add it to {I18N / 'interface.yml'}")


def translated(entries, key, english_text):
    """The translation of a cell's text, or the English text where there is none yet."""
    return ((entries.get(key) or {}).get("zh") or "").strip() and entries[key]["zh"] or english_text


def chinese(stem):
    """The Chinese notebook STEM: the English one with its prose, captions, comments and fold lines translated."""
    nb, data, fold_lines = english(stem), load(stem), interface()["fold_lines"]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = translated(data["markdown"], cell.id, cell.source)
            continue
        if figure(cell).get("caption"):
            figure(cell)["caption"] = translated(data["captions"], cell.id, figure(cell)["caption"])
        if translatable(cell):
            cell.source = translate_code(cell.source, data["comments"])
        mystnb = cell.metadata.get("mystnb", {})
        if "code_prompt_show" in mystnb:
            mystnb["code_prompt_show"] = fold_line(mystnb["code_prompt_show"], fold_lines)
    nb.metadata["language"] = "zh_CN"
    return nb


def chinese_config():
    """The Chinese book's configuration: the English book's (_config.yml), seen from zh/, with interface.yml's
    words and ZH_SPHINX; its launch buttons open the notebooks on the branch the publishing workflow writes."""
    config, words = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8")), interface()
    sphinx = config["sphinx"]["config"]
    config.update(title=words["title"], author=words["author"], exclude_patterns=["_build", "**.ipynb_checkpoints"],
                  bibtex_bibfiles=[f"../{path}" for path in config["bibtex_bibfiles"]])
    config["repository"].update(path_to_book="zh", branch=sphinx["zh_notebooks_branch"])
    sphinx.update(ZH_SPHINX, language=words["language"], html_static_path=[f"../{path}" for path in
                                                                          sphinx["html_static_path"]],
                  nb_code_prompt_show=words["code_prompt_show"], nb_code_prompt_hide=words["code_prompt_hide"])
    return config


def write_edition(stems=None):
    """Write the Chinese notebooks (all, or `stems`) into zh/notebooks/, and the book's configuration into CONFIG."""
    OUT.mkdir(parents=True, exist_ok=True)
    for stem in stems or [path.stem for path in notebooks.paths()]:
        notebooks.write(chinese(stem), OUT / f"{stem}.ipynb")
    CONFIG.parent.mkdir(parents=True, exist_ok=True)
    CONFIG.write_text("# Generated by course_tools/translate.py from _config.yml and i18n/zh_CN/interface.yml.\n"
                      + yaml.dump(chinese_config(), allow_unicode=True, sort_keys=False), encoding="utf-8")


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
    stems = ([name for name in args.stems if name not in PAGES and name != "chapters"] if args.stems
             else [path.stem for path in notebooks.paths()])
    if args.update or args.accept:
        for stem in stems:
            update(stem, accept=args.accept)
        for page in set(args.stems) & set(PAGES):
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
    write_edition(stems)
    print(f"wrote {len(stems)} notebooks into {OUT.relative_to(REPO)}, and {CONFIG.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
