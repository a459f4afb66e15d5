"""The Simplified Chinese edition, generated from the English course and the translations in i18n/zh_CN/.

`make book` runs this module: it writes zh/notebooks/STEM.ipynb, notebooks/STEM.ipynb with its markdown cells,
figures' captions and alt texts, and code comments replaced by their translations in i18n/zh_CN/STEM.yml (code and
outputs stay English), and _build/zh/_config.yml, from _config.yml and interface.yml (the edition's own words);
neither is committed. The chapters' descriptions are translated in chapters.yml, the pages by hand in zh/book/. A
translation is stale once the English it was made from changes: edit the Chinese, then run `--accept NAME` (a
notebook: gru; a page: book/intro.md; or chapters), which records the current English (`git diff i18n/` shows the
old and the new).

    python -m course_tools.translate [--check | --update | --accept] [NAME ...]     # NAME: by default, all
    --check: list each stale or missing translation, exit 1 if any; --update: add an empty entry per new English text
"""

import argparse
import re
import sys
import unicodedata

import yaml

from course_tools import BUILD, I18N, NOTEBOOKS, REPO, ZH, notebooks, translated_pages
from course_tools.translated_pages import SHOWN, comment_units, leaves, load, shown, translatable, translation

OUT = ZH / "notebooks"
CONFIG = BUILD / "zh" / "_config.yml"


def interface():
    """The Chinese edition's interface strings: `book:` of i18n/zh_CN/interface.yml."""
    return load(I18N / "interface.yml")["book"]


def wrap(text, width):
    """Lines of at most `width` columns (a Chinese character takes two), broken at a space or a Chinese character."""
    lines, line = [], ""
    for token in re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]|\S+|\s+", text):
        if line and sum(1 + (unicodedata.east_asian_width(char) in "WF") for char in line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def translate_code(source, comments):
    """The code cell's source with each comment replaced by its translation (blocks wrapped to 79 columns)."""
    lines = source.splitlines()
    for text, first, last, indent, kind in reversed(comment_units(source)):
        if zh := (comments.get(text) or "").strip():
            lines[first:last + 1] = [f"{indent}# {line}" for line in
                                     ([zh] if kind == "trailing" else wrap(zh, 77 - len(indent)))]
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


def chinese(stem):
    """The Chinese notebook STEM: its prose, figures' captions and alt texts, comments, fold lines translated."""
    nb, data, words = notebooks.read(NOTEBOOKS / f"{stem}.ipynb"), load(I18N / f"{stem}.yml"), interface()
    found = leaves(data)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = translation(found.get(("markdown", cell.id)), cell.source)
            continue
        for section, (key, field) in SHOWN.items():
            if text := shown(cell, section):
                cell.metadata["mystnb"][key][field] = translation(found.get((section, cell.id)), text)
        if translatable(cell):
            cell.source = translate_code(cell.source, data.get("comments", {}))
        if fold := cell.metadata.get("mystnb", {}).get("code_prompt_show"):
            start = next((start for start in words["fold_lines"] if fold.startswith(start)), None)
            if start is None:
                raise ValueError(f"no translation for the fold line {fold!r}: add it to {I18N / 'interface.yml'}")
            cell.metadata["mystnb"]["code_prompt_show"] = words["fold_lines"][start] + fold.removeprefix(start)
            if cell.source.startswith(notebooks.TITLE):  # Colab's title of the folded cell: the same line
                notebooks.fold(cell, cell.metadata["mystnb"]["code_prompt_show"])
    nb.metadata["language"] = "zh_CN"
    return nb


def chinese_config():
    """The English book's configuration seen from zh/, with interface.yml's words and sphinx_ext.py's settings."""
    config, words = load(REPO / "_config.yml"), interface()
    sphinx = config["sphinx"]["config"]
    config.update(title=words["title"], author=words["author"], exclude_patterns=["_build", "**.ipynb_checkpoints"],
                  bibtex_bibfiles=[f"../{path}" for path in config["bibtex_bibfiles"]])
    config["repository"].update(path_to_book="zh", branch=sphinx["zh_notebooks_branch"])
    sphinx.update(other_edition_root="../", other_edition_lang="en", other_edition_only_here=["book/glossary"],
                  search_words_page="book/glossary.md", language=words["language"],
                  html_static_path=[f"../{path}" for path in sphinx["html_static_path"]],
                  nb_code_prompt_show=words["code_prompt_show"], nb_code_prompt_hide=words["code_prompt_hide"])
    return config


def write_edition(stems=None):
    """Write the Chinese notebooks (all, or `stems`) into zh/notebooks/, and the book's configuration into CONFIG."""
    OUT.mkdir(parents=True, exist_ok=True)
    for stem in [path.stem for path in notebooks.paths()] if stems is None else stems:
        notebooks.write(chinese(stem), OUT / f"{stem}.ipynb")
    CONFIG.parent.mkdir(parents=True, exist_ok=True)
    CONFIG.write_text("# Generated by course_tools/translate.py from _config.yml and i18n/zh_CN/interface.yml.\n"
                      + yaml.dump(chinese_config(), allow_unicode=True, sort_keys=False), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*")
    for flag in ("--check", "--update", "--accept"):
        parser.add_argument(flag, action="store_true")
    args = parser.parse_args(argv)
    stems = [path.stem for path in notebooks.paths()]
    everything = [*stems, "chapters", *translated_pages.PAGES]
    if unknown := [name for name in args.names if name not in everything]:
        parser.error(f"not a notebook, page ({', '.join(translated_pages.PAGES)}) or `chapters`: {', '.join(unknown)}")
    if args.accept and not args.names:
        parser.error("--accept needs what was brought up to date: notebooks, pages (book/intro.md) or `chapters`")
    names = args.names or everything
    if args.update or args.accept:
        for name in names:
            translated_pages.update(name, accept=args.accept)
        print(f"updated the translation records in {I18N.relative_to(REPO)}")
    listed = [line for name in names for line in translated_pages.problems(name)]
    if args.check:
        print("\n".join(listed) or "every translation is current")
        return 1 if listed else 0
    if listed:  # the book still builds; tests/test_translate.py fails until they are translated
        print("warning: the Chinese edition is behind the English one (the English stands in where a translation "
              "is missing or stale):\n  " + "\n  ".join(listed))
    write_edition(written := [name for name in names if name in stems])
    print(f"wrote {len(written)} notebooks into {OUT.relative_to(REPO)}, and {CONFIG.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
