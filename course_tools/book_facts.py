"""The facts the book's pages repeat, rendered while the book is built: a Sphinx extension of both editions.

- MyST substitutions: `{{ pdf_url }}`, `{{ student_zip_url }}`, `{{ colab_form }}` (the form of the book's own
  Colab buttons), `{{ least_exercises }}`, `{{ solution_cells }}`, `{{ solution_asserts }}`.
- The directive `{course-facts} NAME`: `chapter-map` (the chapter's sections and where the course covers them),
  `chapters` (the instructors' table), `clone` (the commands of a fresh clone).
From the book's _toc.yml and notebooks, book/chapters.yml and _config.yml; the Chinese edition (Sphinx language
zh_CN) takes its words from `facts:` of i18n/zh_CN/interface.yml and i18n/zh_CN/chapters.yml. Nothing is written.
"""

import re
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from course_tools import I18N, REPO, notebooks, translated_pages
from course_tools.student_edition import EDITIONS
from notebook_helpers import config as course

CHAPTERS = REPO / "book" / "chapters.yml"
EXERCISE = re.compile(r"^ *(?:`{3,}|:{3,})\{exercise\}", re.MULTILINE)
ASSERT = re.compile(r"^\s*assert\b", re.MULTILINE)
SECTION_NUMBER = re.compile(r"(\d+)\.(?:–(\d+)\.)? ")
# The English edition's words. The Chinese edition's are `facts:` in i18n/zh_CN/interface.yml, with the same keys.
WORDS = {
    "map": ["the chapter's section", "in this course"],
    "chapters": ["chapter", "students learn to", "needs first", "exercises (with a check cell)"],
    "exercises": "{} ({})",
    "list": ", ",
    "make_book": "set up .venv, build the book (both editions) into _build/html",
    "make_test": "set up .venv, run every test",
}


def toc_files(book=REPO):
    """Every file of the book's _toc.yml, root first, in the order of the table of contents, without suffix;
    `book` is the English book's folder or the Chinese one's (zh/)."""
    toc = yaml.safe_load((Path(book) / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part["chapters"])
    return files


def notebook_stems(book=REPO):
    """The course's notebooks, in the order of the table of contents."""
    return [Path(file).name for file in toc_files(book) if file.startswith("notebooks/")]


def read_notebook(path):
    """What the pages say of a notebook: its short title (before a colon), its exercises, its code cells tagged
    `check`, its code cells tagged `solution` and how many of those `assert`."""
    nb = notebooks.read(path)
    first = nb.cells[0].source.split("\n")[0] if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    if not first.startswith("# "):
        raise ValueError(f"{path}: the first cell must be a markdown cell opening with '# '")
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    solutions = [cell.source for cell in code if "solution" in notebooks.tags(cell)]
    return {"title": re.split(r"：|: ", first[2:].strip(), maxsplit=1)[0],  # a Chinese colon is full-width
            "exercises": sum(len(EXERCISE.findall(c.source)) for c in nb.cells if c.cell_type == "markdown"),
            "checks": sum("check" in notebooks.tags(cell) for cell in code),
            "solutions": len(solutions), "asserts": sum(bool(ASSERT.search(source)) for source in solutions)}


def section_numbers(section):
    match = SECTION_NUMBER.match(section)
    if not match:
        raise ValueError(f"{CHAPTERS.name}: a section must open with its number ('4. ' or '6.–9. '): {section!r}")
    return list(range(int(match[1]), int(match[2] or match[1]) + 1))


def chapters(stems, data=None):
    """book/chapters.yml, checked against the notebooks of _toc.yml (`stems`, in order): every notebook described,
    each needing only earlier ones, the chapter's sections numbered 1 to N once each, and the course in the
    chapter's order. Returns the data and the map's rows: (the place of a section's text, as
    course_tools/translated_pages.py names it; the notebook that covers it, or the place of what does)."""
    data = yaml.safe_load(CHAPTERS.read_text(encoding="utf-8")) if data is None else data
    described = data["chapters"]
    if set(described) != set(stems):
        raise ValueError(f"{CHAPTERS.name} must describe exactly the notebooks of _toc.yml: missing "
                         f"{sorted(set(stems) - set(described))}, extra {sorted(set(described) - set(stems))}")
    for i, stem in enumerate(stems):
        needs = described[stem]["needs"]  # earlier chapters, or a text saying what the chapter assumes
        later = [need for need in needs if need not in stems[:i]] if isinstance(needs, list) else []
        if later:
            raise ValueError(f"{CHAPTERS.name}: {stem} needs {later}, which are not earlier chapters")
    # The first sections of the notebooks increase, except where a notebook goes on with a section an earlier
    # one covers (seq2seq_attention after gru).
    first = [section_numbers(described[stem]["sections"][0])[0] for stem in stems]
    new = [n for i, n in enumerate(first) if n not in first[:i]]
    if new != sorted(new):
        raise ValueError(f"_toc.yml does not follow the chapter's order of sections: {dict(zip(stems, first))}")
    rows = [(section, ("chapters", stem, "sections", i), stem)
            for stem in stems for i, section in enumerate(described[stem]["sections"])]
    rows += [(other["section"], ("other_sections", i, "section"), ("other_sections", i, "covered_by"))
             for i, other in enumerate(data.get("other_sections", []))]
    rows.sort(key=lambda row: section_numbers(row[0])[0])  # stable: a section's notebooks keep _toc.yml's order
    numbers = sorted({n for section, _, _ in rows for n in section_numbers(section)})
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{CHAPTERS.name}: the chapter's sections must be numbered 1 to N: {numbers}")
    return data, [row[1:] for row in rows]


class Edition:
    """The book being built: its folder, its words, its chapters' texts by place, and its notebooks."""

    def __init__(self, book, language):
        self.book, self.chinese = Path(book), language == I18N.name
        self.words = (yaml.safe_load((I18N / "interface.yml").read_text(encoding="utf-8"))["facts"] if self.chinese
                      else WORDS)
        self.stems = notebook_stems(self.book)
        self.notebooks = {stem: read_notebook(self.book / "notebooks" / f"{stem}.ipynb") for stem in self.stems}

    def texts(self):
        return translated_pages.chapter_translation() if self.chinese else translated_pages.chapter_texts()

    def link(self, stem):
        return f"{{doc}}`{self.notebooks[stem]['title']} </notebooks/{stem}>`"


def table(header, rows):
    return [f"| {' | '.join(header)} |", f"|{' --- |' * len(header)}",
            *(f"| {' | '.join(map(str, row))} |" for row in rows)]


def chapter_map(edition):
    _, rows = chapters(edition.stems)
    texts = edition.texts()
    return table(edition.words["map"], [[texts[place], edition.link(target) if isinstance(target, str)
                                         else texts[target]] for place, target in rows])


def chapter_table(edition):
    data, _ = chapters(edition.stems)
    texts, words = edition.texts(), edition.words

    def needs(stem):
        need = data["chapters"][stem]["needs"]
        return (texts[("chapters", stem, "needs")] if isinstance(need, str)
                else words["list"].join(edition.notebooks[other]["title"] for other in need))

    return table(words["chapters"], [
        [edition.link(stem), texts[("chapters", stem, "learn")], needs(stem),
         words["exercises"].format(nb["exercises"], nb["checks"])] for stem, nb in edition.notebooks.items()])


def clone(edition):
    return ["```bash", f"git clone {course.REPOSITORY_URL}.git", f"cd {course.NAME}",
            f"make book    # {edition.words['make_book']}", f"make test    # {edition.words['make_test']}", "```"]


RENDER = {"chapter-map": chapter_map, "chapters": chapter_table, "clone": clone}


class CourseFacts(SphinxDirective):
    """```{course-facts} NAME```: the Markdown of RENDER[NAME], parsed in place."""

    required_arguments = 1

    def run(self):
        name, book = self.arguments[0], Path(self.env.srcdir)
        if name not in RENDER:
            raise self.error(f"course-facts: no {name!r}; there are {', '.join(RENDER)}")
        for path in [book / "_toc.yml", CHAPTERS, translated_pages.CHAPTERS, I18N / "interface.yml",
                     *(book / "notebooks").glob("*.ipynb")]:
            self.env.note_dependency(str(path))  # the page is read again when one of them changes
        try:
            lines = RENDER[name](Edition(book, self.config.language))
        except ValueError as error:
            raise self.error(f"course-facts {name}: {error}") from error
        parent = nodes.Element()
        self.state.nested_parse(StringList(lines), self.content_offset, parent)
        return parent.children


def substitute(app, config):
    """The substitutions, from the book's configuration and notebooks."""
    edition = Edition(app.srcdir, config.language)
    theme = config.html_theme_options
    folder = theme.get("path_to_docs", "").strip("/")
    colab = "/".join([theme["launch_buttons"]["colab_url"].strip("/"), "github",
                      theme["repository_url"].removeprefix("https://github.com/"), "blob",
                      theme["repository_branch"], *[folder] * bool(folder), "notebooks", "NAME.ipynb"])
    found, zip_suffix = edition.notebooks.values(), EDITIONS["zh" if edition.chinese else "en"].suffix
    config.myst_substitutions = {
        **config.myst_substitutions,
        "pdf_url": f"<{course.PAGES_URL}{course.NAME}.pdf>",
        "student_zip_url": f"<{course.PAGES_URL}{course.NAME}-student{zip_suffix}.zip>",
        "colab_form": f"`{colab}`",
        "least_exercises": min(nb["exercises"] for nb in found),
        "solution_cells": sum(nb["solutions"] for nb in found),
        "solution_asserts": sum(nb["asserts"] for nb in found),
    }


def setup(app):
    app.add_directive("course-facts", CourseFacts)
    app.connect("config-inited", substitute)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
