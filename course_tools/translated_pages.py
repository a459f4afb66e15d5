"""What the Chinese edition translates, from which English, and when a translation is stale (see translate.py).

A record, i18n/zh_CN/NAME.yml, holds for each English text the English a translation was made from (`en`) beside
the translation (`zh`); pages.yml, for each page translated by hand, a fingerprint and the first words of each
English paragraph (each list item its own). A translation keeps what KEPT names exactly as the English has it:
formulas (but the words in \\text{}), code, labels and link targets (but a role's displayed text).
"""

import hashlib
import itertools
import re

import yaml

from course_tools import I18N, NOTEBOOKS, REPO, notebooks

PRINTS = I18N / "pages.yml"
CHAPTERS = I18N / "chapters.yml"
PAGES = ["book/intro.md", "book/instructors.md", "book/reproducibility.md", "book/references.md"]
ROLE = re.compile(r"\{[a-z:]+\}`[^`]+`")
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
MATH_WORDS = re.compile(r"\\text\{[^{}]*\}")
FULL = re.compile(r"^(\s*)#(?!@)\s?(.*)$")  # not a Colab form's #@title line
TRAILING = re.compile(r"""^([^#"']*?(?:(?:"[^"]*"|'[^']*')[^#"']*?)*\s)#\s(.+)$""")


Dumper = type("Dumper", (yaml.Dumper,), {})  # writes a string of several lines as a literal block
Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def dump(path, data, width=1000):
    """Write `data` into the YAML file `path`, below the comment lines it opens with."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    header = "".join(itertools.takewhile(lambda line: line.startswith("#"), lines))
    path.write_text(header + yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=width),
                    encoding="utf-8")


def leaves(node, place=()):
    """A tree's texts, or a record's entries, by place: ("markdown", "cell-01"), ("chapters", "gru", "learn")."""
    if isinstance(node, str) or isinstance(node, dict) and "en" in node:
        return {place: node}
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return {found: leaf for key, value in items for found, leaf in leaves(value, (*place, key)).items()}


def stale(entry, text):
    """Why the entry is no current translation of the English `text` (words to follow its place), or None."""
    def parts(source, name):
        found = KEPT[name].findall(ROLE.sub("", source) if name == "inline code" else source)
        return sorted(MATH_WORDS.sub(r"\\text{}", part) if name.endswith("math") else part for part in found)
    if not entry or not (entry.get("zh") or "").strip():
        return " has no translation"
    if entry["en"] != text:
        return " changed in English since it was translated"
    if changed := [name for name in KEPT if parts(text, name) != parts(entry["zh"], name)]:
        return ": the translation changed its " + ", ".join(changed)
    return None


def translation(entry, text):
    """The translation of the English `text`, or the English itself where it has no current one."""
    return text if stale(entry, text) else entry["zh"]


def translatable(cell):
    """Whether a code cell's comments are the course's prose (not generated code: the Colab cell, shared code)."""
    return not cell.metadata.get("shared") and "colab" not in notebooks.tags(cell)


def comment_units(source):
    """A code cell's comments (text, first line, last line, indentation, kind): a block of full-line ones is one."""
    units = []
    for full, group in itertools.groupby(enumerate(source.splitlines()), lambda item: bool(FULL.match(item[1]))):
        group = [(number, FULL.match(line) or TRAILING.match(line)) for number, line in group]
        if full:
            units.append((" ".join(match[2] for _, match in group), group[0][0], group[-1][0], group[0][1][1], "block"))
        units += [(match[2], number, number, match[1], "trailing") for number, match in group
                  if not full and match and not match[2].startswith("noqa")]
    return units


# The texts of a code cell's metadata that the book shows, by their section of the record: (mystnb's key, field).
# MyST-NB 1.x takes an image output's alt text from `image`, not from `figure` (where it would be ignored).
SHOWN = {"captions": ("figure", "caption"), "alts": ("image", "alt")}


def shown(cell, section):
    """The cell's text that `section` of SHOWN translates (its figure's caption, its image's alt text), or None."""
    key, field = SHOWN[section]
    return cell.metadata.get("mystnb", {}).get(key, {}).get(field)


def sources(name):
    """The record of NAME (a notebook or `chapters`), the English texts it translates as a tree, its code comments."""
    if name == "chapters":
        data = load(REPO / "book" / "chapters.yml")
        data["chapters"] = {stem: {k: v for k, v in chapter.items() if k != "needs" or isinstance(v, str)}
                            for stem, chapter in data["chapters"].items()}  # a `needs` list names chapters
        return CHAPTERS, data, []
    cells = notebooks.read(NOTEBOOKS / f"{name}.ipynb").cells
    tree = {"markdown": {cell.id: cell.source for cell in cells if cell.cell_type == "markdown"},
            **{section: {cell.id: text for cell in cells if cell.cell_type == "code" and (text := shown(cell, section))}
               for section in SHOWN}}
    comments = [unit[0] for cell in cells if cell.cell_type == "code" and translatable(cell)
                for unit in comment_units(cell.source)]
    return I18N / f"{name}.yml", tree, list(dict.fromkeys(comments))


def chapter_texts():
    """Each text of book/chapters.yml by its place (but the chapter names that a `needs` list holds)."""
    return leaves(sources("chapters")[1])


def chapter_translation():
    """{place: Chinese text} of the chapters' descriptions (the English where a translation is missing or stale)."""
    found = leaves(load(CHAPTERS))
    return {place: translation(found.get(place), text) for place, text in chapter_texts().items()}


def problems(name):
    """Each text of NAME (a notebook, a page or `chapters`) without a current translation, as a readable line."""
    if name in PAGES:
        return page_problems([name])
    path, tree, comments = sources(name)
    found = leaves(data := load(path))
    return ([f"{name}: {'.'.join(map(str, place))}{why}" for place, text in leaves(tree).items()
             if (why := stale(found.get(place), text))]
            + [f"{name}: the comment {text[:60]!r} has no translation" for text in comments
               if not (data.get("comments", {}).get(text) or "").strip()])


def refreshed(node, old, accept, place=()):
    """The record of the English tree `node`, given the `old` entries: a new text's translation empty; `en` the
    current English where there is no translation yet or, with accept (all are up to date), everywhere."""
    if isinstance(node, str):
        zh = (old.get(place) or {}).get("zh") or ""
        return {"en": node if accept or not zh.strip() else old[place]["en"], "zh": zh}
    new = {key: refreshed(value, old, accept, (*place, key))
           for key, value in (node.items() if isinstance(node, dict) else enumerate(node))}
    return new if isinstance(node, dict) else list(new.values())


def update(name, accept=False):
    """Rewrite the record of NAME (refreshed()); with accept, a page's current English is recorded as translated."""
    if name in PAGES:
        if accept:
            prints = {**load(PRINTS), name: paragraphs(name)}
            dump(PRINTS, {page: prints[page] for page in PAGES if page in prints})
        return
    path, tree, comments = sources(name)
    data = load(path)
    record = refreshed(tree, leaves(data), accept)
    if name != "chapters":
        record["comments"] = {text: data.get("comments", {}).get(text) or "" for text in comments}
    dump(path, record, width=110 if name == "chapters" else 1000)


def paragraphs(page):
    """{fingerprint: first words} of each paragraph of an English page."""
    found = {}
    for paragraph in re.split(r"\n\s*\n|\n(?=- |\d+\. )", (REPO / page).read_text(encoding="utf-8")):
        if words := " ".join(paragraph.split()):
            found[hashlib.sha256(words.encode()).hexdigest()[:12]] = words[:60]
    return found


def page_problems(pages=PAGES):
    """Every page whose translation is missing or behind its English, as readable lines."""
    prints, listed = load(PRINTS), []
    for page in pages:
        if not (REPO / "zh" / page).exists() or page not in prints:
            listed.append(f"{page}: zh/{page} is missing or not recorded: write it, then run --accept {page}")
            continue
        now, then = paragraphs(page), prints[page]
        listed += [f"{page}: the paragraph {words!r} is new or changed in English since zh/{page} was translated"
                   for key, words in now.items() if key not in then]
        listed += [f"{page}: the paragraph that began {words!r} is no longer in English: take it out of zh/{page}"
                   for key, words in then.items() if key not in now]
    return listed

