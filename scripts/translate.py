"""The Simplified Chinese edition of the notebooks: generated from the English ones and their translations.

The English notebooks are the source. i18n/zh_CN/STEM.yml holds, for each markdown cell and figure caption of
notebooks/STEM.ipynb (by cell id), the English text a translation was made from (`en`) and the translation
(`zh`), and a translation of each code comment (by its English text). This script writes
zh/notebooks/STEM.ipynb: the English notebook with its prose replaced by the translation; code, outputs and
figures are the English notebook's own.

    .venv/bin/python scripts/translate.py            # write zh/notebooks/ (warns of anything stale)
    .venv/bin/python scripts/translate.py --check    # list every stale or missing translation; exit 1 if any
    .venv/bin/python scripts/translate.py --update   # add the English texts that have no entry yet (zh empty)
    .venv/bin/python scripts/translate.py --accept gru  # mark gru's stale translations as updated

A translation is stale when its `en` differs from the English text now. Updating it is one step: edit its `zh`
to say what the English says now, then run --accept for that notebook, which records the current English text
as the one translated (`git diff i18n/` shows what changed in English: the old `en` beside the new).
"""

import argparse
import copy
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
I18N = REPO / "i18n" / "zh_CN"
OUT = REPO / "zh" / "notebooks"
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


def kept_parts_differ(en, zh):
    """The kinds of untranslatable parts (math, code, labels, links...) that the translation changed."""
    def parts(text, name):
        return sorted(KEPT[name].findall(ROLE.sub("", text) if name == "inline code" else text))
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


# The lines that fold generated cells (scripts/colab_cell.py, scripts/shared_code.py), in Chinese.
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
             "other_edition_lang": "en", "other_edition_only_here": ["book/glossary"]}


def chinese_config():
    """zh/_config.yml's text: the English book's configuration, seen from zh/, with ZH_CONFIG and ZH_SPHINX."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config.update(ZH_CONFIG)
    config["bibtex_bibfiles"] = [f"../{path}" for path in config["bibtex_bibfiles"]]
    config["repository"]["path_to_book"] = "zh"
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {name: f"../{path}" for name, path in sphinx["local_extensions"].items()}
    sphinx["config"]["html_static_path"] = [f"../{path}" for path in sphinx["config"]["html_static_path"]]
    sphinx["config"].update(ZH_SPHINX)
    return ("# The Chinese edition's Jupyter Book configuration, written by scripts/translate.py from\n"
            "# ../_config.yml (edit that file, or ZH_CONFIG in the script, and run it again).\n"
            + yaml.dump(config, allow_unicode=True, sort_keys=False, width=110))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stems", nargs="*", help="notebooks (default: all)")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--accept", action="store_true",
                        help="record the current English text of every stale entry as translated")
    args = parser.parse_args(argv)
    stems = args.stems or sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    if args.update or args.accept:
        for stem in stems:
            update(stem, accept=args.accept)
        print(f"updated {len(stems)} translation files in {I18N.relative_to(REPO)}")
    listed = [line for stem in stems for line in problems(stem)]
    if args.check:
        print("\n".join(listed) or "every translation is current")
        return 1 if listed else 0
    if listed:  # the book still builds; tests/test_translation.py fails until they are translated
        print("warning: the Chinese edition is behind the English one (the English text stands in where a "
              "translation is missing):\n  " + "\n  ".join(listed))
    for stem in stems:
        build(stem)
    (REPO / "zh" / "_config.yml").write_text(chinese_config(), encoding="utf-8")
    print(f"wrote {len(stems)} notebooks into {OUT.relative_to(REPO)}, and zh/_config.yml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
