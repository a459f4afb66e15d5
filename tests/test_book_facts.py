"""The facts the book's pages repeat (course_tools/book_facts.py) agree with their sources, and the repository's
address is written in one place.

The book renders its chapter map, its instructors' table, its addresses and its tables of results from their
sources while it is built; these tests check those sources against each other, and the built pages (the session's
`build` of both editions, tests/conftest.py) against them. No tracked file may spell out the repository's address,
its owner or its name except _config.yml, README.md (whose addresses are checked against it), and the notebook
cells that course_tools/shared_code.py generates (metadata "shared").
"""

import copy
import html
import json
import re
import subprocess

import pytest
import yaml
from conftest import REPO

from course_tools import I18N, book_facts, translated_pages
from course_tools.student_edition import EDITIONS
from notebook_helpers import config

# Adjacent string literals, which Python and many other languages join: "ab" "cd" is "abcd".
STRING_JOIN = re.compile(r"""["']\s*\+?\s*(?:\\\s*)?[rRbBfFuU]{0,2}["']""")
ADDRESS = re.compile(r"https?://[^\s<>()`\]]+")
# What the instructors' page of each edition says with the substitutions of the notebooks' counts.
PHRASES = {"": ["at least {least} exercises", "{asserts} of the {solutions} solution code cells check"],
           "zh/": ["至少 {least} 道练习", "{solutions} 个参考答案代码单元格中，有 {asserts} 个会自行检验"]}


def test_chapter_prose_describes_exactly_the_notebooks_of_the_table_of_contents():
    stems = book_facts.notebook_stems()
    data, rows = book_facts.chapters(stems)  # and each chapter needs only earlier ones, the sections are 1..N
    assert set(data["chapters"]) == set(stems)
    assert {path.stem for path in (REPO / "notebooks").glob("*.ipynb")} == set(stems)
    assert {target for _, target in rows if isinstance(target, str)} == set(stems)


def broken(change):
    data = copy.deepcopy(yaml.safe_load(book_facts.CHAPTERS.read_text(encoding="utf-8")))
    change(data["chapters"], data)
    return data


@pytest.mark.parametrize("change, complaint", [
    (lambda chapters, _: chapters.pop("gru"), "must describe exactly the notebooks"),
    (lambda chapters, _: chapters["simple_rnn"].update(needs=["lstm"]), "which are not earlier chapters"),
    (lambda chapters, _: chapters["lstm"].update(sections=["6. LSTM"]), "the chapter's order of sections"),
    (lambda _, data: data["other_sections"][0].update(section="14. Summary"), "numbered 1 to N"),
    (lambda chapters, _: chapters["gru"].update(sections=["GRU"]), "must open with its number"),
])
def test_a_broken_chapter_description_is_refused(change, complaint):
    with pytest.raises(ValueError, match=complaint):
        book_facts.chapters(book_facts.notebook_stems(), broken(change))


def chinese_words():
    return yaml.safe_load((I18N / "interface.yml").read_text(encoding="utf-8"))["facts"]


def test_both_editions_have_the_same_words():
    chinese = chinese_words()
    assert chinese.keys() == book_facts.WORDS.keys()
    for key, english in book_facts.WORDS.items():
        assert type(chinese[key]) is type(english), key
        assert (len(chinese[key]) == len(english) if isinstance(english, list)
                else chinese[key].count("{}") == english.count("{}")), key


def test_the_book_is_published_from_the_configured_branch():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == [config.BRANCH]


# --- the built pages ----------------------------------------------------------------------------------------

def page_text(html_folder, page):
    """The words of a built page's article."""
    source = (html_folder / f"{page}.html").read_text(encoding="utf-8")
    return words_in(source[source.index("<article"):source.index("</article>")])


def words_in(fragment):
    """The words of an HTML fragment, with Sphinx's curly apostrophes straight again."""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split())).replace("’", "'")


def table(html_folder, page, header):
    """The rows of the page's table whose first row is `header` (a list of words), each as its words."""
    source = (html_folder / f"{page}.html").read_text(encoding="utf-8")
    tables = [[words_in(row) for row in re.findall(r"<tr\b.*?</tr>", found, re.S)]
              for found in re.findall(r"<table\b.*?</table>", source, re.S)]
    found = [rows for rows in tables if rows and rows[0] == " ".join(header)]
    assert found, f"{page} has no table headed {header}"
    return found[0]


def words_of(markdown):
    """The pieces of a chapter description that a page shows as they are: without its citations, link targets and
    code marks."""
    markdown = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", markdown)
    pieces = re.split(r"\s*\{cite\}`[^`]*`\s*", " ".join(markdown.split()))
    return [re.sub(r"`([^`]*)`", r"\1", piece) for piece in pieces if piece]


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_the_pages_show_the_facts_of_their_sources(build, edition):
    _, built = build
    words = chinese_words() if edition else book_facts.WORDS
    texts = translated_pages.chapter_translation() if edition else translated_pages.chapter_texts()
    notebooks = {stem: book_facts.read_notebook(REPO / edition / "notebooks" / f"{stem}.ipynb")
                 for stem in book_facts.notebook_stems()}
    for page in ("intro", "instructors", "reproducibility"):
        assert "{{" not in page_text(built, f"{edition}book/{page}"), page
    _, rows = book_facts.chapters(book_facts.notebook_stems())
    chapter_map = table(built, f"{edition}book/intro", words["map"])
    assert len(chapter_map) == len(rows) + 1
    for row, (place, target) in zip(chapter_map[1:], rows):
        covered = words_of(texts[target]) if isinstance(target, tuple) else [notebooks[target]["title"]]
        assert all(piece.replace(" ", "") in row.replace(" ", "") for piece in words_of(texts[place]) + covered), row
    chapters = table(built, f"{edition}book/instructors", words["chapters"])
    assert len(chapters) == len(notebooks) + 1
    for row, (stem, nb) in zip(chapters[1:], notebooks.items()):
        assert row.startswith(nb["title"]) and words_of(texts[("chapters", stem, "learn")])[0] in row, row
        assert row.endswith(words["exercises"].format(nb["exercises"], nb["checks"])), row
    intro, instructors = page_text(built, f"{edition}book/intro"), page_text(built, f"{edition}book/instructors")
    counts = {"least": min(nb["exercises"] for nb in notebooks.values()),
              **{count: sum(nb[count] for nb in notebooks.values()) for count in ("solutions", "asserts")}}
    for phrase in PHRASES[edition]:
        assert phrase.format(**counts) in instructors, phrase
    assert f"git clone {config.REPOSITORY_URL}.git" in intro and words["make_book"] in intro
    assert f"{config.PAGES_URL}{config.NAME}.pdf" in intro
    suffix = EDITIONS["zh" if edition else "en"].suffix
    assert f"{config.PAGES_URL}{config.NAME}-student{suffix}.zip" in instructors


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_the_colab_form_is_the_form_of_the_launch_buttons(build, edition):
    _, built = build
    instructors = page_text(built, f"{edition}book/instructors")
    form = re.search(r"https://colab\.research\.google\.com/\S+/NAME\.ipynb", instructors)
    assert form, "the instructors' page shows the Colab link form"
    for stem in book_facts.notebook_stems():
        page = (built / f"{edition}notebooks/{stem}.html").read_text(encoding="utf-8")
        assert f'href="{form[0].replace("NAME", stem)}"' in page, stem


def readme_address_problems(text):
    """The addresses of README.md that name the repository's owner or name but are not built on _config.yml's
    repository, and those of its site and Colab link form that it lacks."""
    wrong = [url for url in ADDRESS.findall(text)
             if any(part.lower() in url.lower() for part in (config.OWNER, config.NAME))
             and not url.startswith((config.REPOSITORY_URL, config.PAGES_URL, config.COLAB_URL))]
    missing = [url for url in (config.PAGES_URL, f"{config.PAGES_URL}zh/", f"{config.COLAB_URL}notebooks/NAME.ipynb")
               if url not in text]
    return wrong + [f"missing {url}" for url in missing]


def test_the_readme_addresses_agree_with_the_configuration():
    problems = readme_address_problems((REPO / "README.md").read_text(encoding="utf-8"))
    assert not problems, f"README.md's addresses must be built on _config.yml's repository: {problems}"


def test_the_readme_check_finds_what_it_must():
    good = (REPO / "README.md").read_text(encoding="utf-8")
    old = good.replace(config.PAGES_URL, f"https://someone-else.github.io/{config.NAME}/")
    assert readme_address_problems(old)
    assert readme_address_problems(good.replace(f"/blob/{config.BRANCH}/", "/blob/old-branch/"))


def address_texts(root, path):
    """The texts of a tracked file in which the address must not appear, as (where, text) pairs."""
    data = (root / path).read_bytes()
    if b"\0" in data[:8192] or path in ("_config.yml", "README.md"):  # binary; where it is written, and checked
        return []
    text = data.decode("utf-8", errors="replace")
    if path.endswith(".ipynb"):
        notebook = json.loads(text)
        texts = [(f"{path} metadata", json.dumps(notebook.get("metadata", {})))]
        # Outputs are what the code printed; the code is checked. Cells that shared_code.py writes
        # (metadata "shared") take the address from _config.yml.
        texts += [(f"{path} cell {i}", "".join(cell["source"])) for i, cell in enumerate(notebook["cells"])
                  if "shared" not in cell.get("metadata", {})]
        return texts
    return [(path, text)]


def hard_coded_addresses(root, paths):
    """Where the repository's owner or name is spelled out, also when split over adjacent string literals."""
    needles = {config.OWNER.lower(), config.NAME.lower()}
    found = []
    for path in paths:
        for where, text in address_texts(root, path):
            lowered = text.lower()
            joined = STRING_JOIN.sub("", lowered)
            hits = sorted(needle for needle in needles if needle in lowered or needle in joined)
            if hits:
                found.append(f"{where}: {', '.join(hits)}")
    return found


def tracked_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [name for name in listed.decode().split("\0") if name and (REPO / name).is_file()]


def test_no_tracked_file_hard_codes_the_repository_address():
    found = hard_coded_addresses(REPO, tracked_files())
    assert not found, ("the repository's address is written by hand in _config.yml alone; use notebook_helpers.config, "
                       "a shared cell (course_tools/shared_code.py) or a substitution of course_tools/book_facts.py:\n"
                       + "\n".join(found))


def test_the_address_check_finds_what_it_must(tmp_path):
    owner, name = config.OWNER, config.NAME
    split = f'URL = ("https://raw.githubusercontent.com/{owner[:3]}"\n       "{owner[3:]}/{name[:5]}" \\\n  ' \
            f'f"{name[5:]}/{config.BRANCH}/")\n'
    files = {
        "split.py": split,
        "plain.md": f"Clone {config.REPOSITORY_URL.upper()}.git\n",
        "book/page.md": f"The PDF: <{config.PAGES_URL}{name}.pdf>\n",
        "clean.md": "Nothing to see: the course's owner and name come from _config.yml.\n",
        "chapter.ipynb": json.dumps({"metadata": {}, "cells": [
            {"cell_type": "code", "metadata": {"shared": ["config.RAW_URL"]}, "source": [f"RAW = '{config.RAW_URL}'"]},
            {"cell_type": "code", "metadata": {}, "source": ["x = 1\n", split]},
        ]}),
        "shared-only.ipynb": json.dumps({"metadata": {}, "cells": [
            {"cell_type": "code", "metadata": {"shared": ["config.RAW_URL"]}, "source": [f"RAW = '{config.RAW_URL}'"]},
        ]}),
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    found = hard_coded_addresses(tmp_path, list(files))
    where = {line.split(":")[0] for line in found}
    assert where == {"split.py", "plain.md", "book/page.md", "chapter.ipynb cell 1"}, found
    assert all(config.NAME.lower() in line for line in found if line.startswith(("split.py", "chapter")))
