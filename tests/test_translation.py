"""The Simplified Chinese edition (course_tools/translate.py): complete, current, and the English course's own code.

Fails when an English text (a markdown cell, a caption, a code comment) has no translation, when it changed
after its translation was made, or when a translation lost a formula, a code span, a label or a link target;
each failure names the notebook and the cell. The Chinese notebooks are generated: their code and outputs are
the English notebooks' own (comments aside), so nbval's run of the English notebooks covers them.
"""

import io
import json
import re
import tokenize

import pytest
from conftest import NOTEBOOKS

from course_tools import translate

STEMS = [path.stem for path in NOTEBOOKS]


def code_tokens(source):
    """The cell's Python tokens without its comments (IPython's magics and shell lines are none of them)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(token.type, token.string) for token in tokens
            if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]


@pytest.mark.parametrize("stem", STEMS)
def test_every_text_has_a_current_translation(stem):
    assert translate.problems(stem) == []


def test_a_changed_english_cell_makes_its_translation_stale(monkeypatch):
    nb = translate.english("lstm")
    cell = next(cell for cell in nb["cells"] if cell["cell_type"] == "markdown")
    cell["source"] = ["".join(cell["source"]) + " One more English sentence."]
    monkeypatch.setattr(translate, "english", lambda stem: nb)
    assert translate.problems("lstm") == [
        f"lstm: markdown of cell {cell['id']} changed in English since it was translated"]


def test_a_new_english_comment_has_no_translation(monkeypatch):
    nb = translate.english("gru")
    cell = next(cell for cell in nb["cells"] if cell["cell_type"] == "code" and translate.translatable(cell))
    cell["source"] = ["x = 1  # a comment nobody translated\n", *cell["source"]]
    monkeypatch.setattr(translate, "english", lambda stem: nb)
    assert translate.problems("gru") == ["gru: the comment 'a comment nobody translated' has no translation"]


def test_a_lost_formula_is_found():
    assert translate.kept_parts_differ("the state $h_t$ and `fit`", "状态 h_t 和 `fit`") == ["inline math"]
    assert translate.kept_parts_differ("see {ref}`why <on-a-gpu>`", "见 {ref}`原因 <on-a-gpu>`") == []
    # the words of a formula are translated, the formula is not
    assert translate.kept_parts_differ(r"$$f_t \text{ (forget gate)}$$", r"$$f_t \text{（遗忘门）}$$") == []
    assert translate.kept_parts_differ(r"$$f_t \text{ (forget gate)}$$", r"$$f_{t} \text{（遗忘门）}$$") == \
        ["display math"]


@pytest.mark.parametrize("stem", STEMS)
def test_the_chinese_notebook_is_generated_from_the_current_sources(stem, tmp_path, monkeypatch):
    monkeypatch.setattr(translate, "OUT", tmp_path)
    translate.build(stem)
    committed = translate.OUT / f"{stem}.ipynb"
    assert (tmp_path / f"{stem}.ipynb").read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), \
        "out of date: run course_tools/translate.py"


@pytest.mark.parametrize("stem", STEMS)
def test_the_chinese_notebook_has_the_english_code_and_outputs(stem):
    english = translate.english(stem)
    chinese = json.loads((translate.OUT / f"{stem}.ipynb").read_text(encoding="utf-8"))
    assert [cell["cell_type"] for cell in chinese["cells"]] == [cell["cell_type"] for cell in english["cells"]]
    for en, zh in zip(english["cells"], chinese["cells"]):
        assert zh["id"] == en["id"]
        if en["cell_type"] == "code":
            assert code_tokens("".join(zh["source"])) == code_tokens("".join(en["source"])), en["id"]
            assert zh["outputs"] == en["outputs"]
            assert zh["metadata"].get("tags") == en["metadata"].get("tags")
        elif prose_words("".join(en["source"])) >= 3:
            assert re.search(r"[\u4e00-\u9fff]", "".join(zh["source"])), f"cell {en['id']} is not in Chinese"


def prose_words(markdown):
    """How many English words a markdown text has outside its formulas, code, directives and labels."""
    for pattern in translate.KEPT.values():
        markdown = pattern.sub(" ", markdown)
    return len(re.findall(r"[A-Za-z]{2,}", markdown))


def test_the_chinese_book_configuration_is_generated_from_the_english_one():
    written = (translate.REPO / "zh" / "_config.yml").read_text(encoding="utf-8")
    assert written == translate.chinese_config(), "out of date: run course_tools/translate.py"


def test_the_chapter_descriptions_have_current_translations():
    assert translate.chapter_problems() == []


def test_a_changed_chapter_description_makes_its_translation_stale(monkeypatch):
    texts = translate.chapter_texts()
    place = ("chapters", "gru", "learn")
    monkeypatch.setattr(translate, "chapter_texts", lambda: {**texts, place: texts[place] + ", and more"})
    assert translate.chapter_problems() == ["chapters: chapters.gru.learn changed in English since it was translated"]
    assert translate.chapter_translation()[place] == texts[place] + ", and more"  # the English stands in


def test_every_page_was_translated_from_the_current_english():
    assert translate.page_problems() == []


@pytest.fixture
def english_pages(tmp_path, monkeypatch):
    """A copy of the English and Chinese pages, which translate.py reads instead of the repository's."""
    for page in translate.PAGES:
        for path in (page, f"zh/{page}"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text((translate.REPO / path).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(translate, "REPO", tmp_path)
    return tmp_path


def test_a_changed_english_paragraph_makes_its_page_stale(english_pages):
    intro = english_pages / "book" / "intro.md"
    text = intro.read_text(encoding="utf-8")
    old = next(p for p in text.split("\n\n") if p.startswith("**Read it online.**"))
    intro.write_text(text.replace(old, old.replace("Every page", "Each page")), encoding="utf-8")
    assert translate.page_problems() == [
        "book/intro.md: the paragraph '**Read it online.** Each page shows the code and the outputs' is new or "
        "changed in English since zh/book/intro.md was translated",
        "book/intro.md: the paragraph that began '**Read it online.** Every page shows the code and the output' "
        "is no longer in English: take it out of zh/book/intro.md"]


def test_a_new_test_record_does_not_make_a_page_stale(english_pages):
    page = english_pages / "book" / "reproducibility.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("<!-- facts:test-run-record -->") + len("<!-- facts:test-run-record -->")
    page.write_text(text[:start] + "\n| run | another day |\n" + text[start:], encoding="utf-8")
    assert translate.page_problems() == []
    (english_pages / "zh" / "book" / "references.md").unlink()
    assert translate.page_problems() == [
        "book/references.md has no translation: write zh/book/references.md, then run --accept book/references.md"]


def test_accept_names_what_was_brought_up_to_date(capsys):
    with pytest.raises(SystemExit):
        translate.main(["--accept"])
    with pytest.raises(SystemExit):
        translate.main(["--accept", "book/nowhere.md"])
    assert "not a translated page: book/nowhere.md" in capsys.readouterr().err


def test_a_changed_list_item_is_named_by_its_own_words(english_pages):
    page = english_pages / "book" / "instructors.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("- **With the solutions.** In the book", "- **With the solutions.** In the site"),
                    encoding="utf-8")
    listed = translate.page_problems()
    assert len(listed) == 2 and all("'- **With the solutions.** In the" in line for line in listed), listed
