"""The Simplified Chinese edition (course_tools/translate.py): complete, current, and the English course's own code.

Fails when an English text (a markdown cell, a caption, a code comment) has no translation, when it changed
after its translation was made, or when a translation lost a formula, a code span, a label or a link target;
each failure names the notebook and the cell. The Chinese notebooks are generated (here, afresh): their code and
outputs are the English notebooks' own (comments aside), so nbval's run of the English notebooks covers them.
"""

import io
import re
import tokenize

import pytest
from conftest import NOTEBOOKS

from course_tools import ZH, translate, translated_pages

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
    cell = next(cell for cell in nb.cells if cell.cell_type == "markdown")
    cell.source += " One more English sentence."
    monkeypatch.setattr(translate, "english", lambda stem: nb)
    assert translate.problems("lstm") == [
        f"lstm: markdown of cell {cell.id} changed in English since it was translated"]


def test_a_new_english_comment_has_no_translation(monkeypatch):
    nb = translate.english("gru")
    cell = next(cell for cell in nb.cells if cell.cell_type == "code" and translate.translatable(cell))
    cell.source = "x = 1  # a comment nobody translated\n" + cell.source
    monkeypatch.setattr(translate, "english", lambda stem: nb)
    assert translate.problems("gru") == ["gru: the comment 'a comment nobody translated' has no translation"]


def test_a_lost_formula_is_found():
    differ = translated_pages.kept_parts_differ
    assert differ("the state $h_t$ and `fit`", "状态 h_t 和 `fit`") == ["inline math"]
    assert differ("see {ref}`why <on-a-gpu>`", "见 {ref}`原因 <on-a-gpu>`") == []
    # the words of a formula are translated, the formula is not
    assert differ(r"$$f_t \text{ (forget gate)}$$", r"$$f_t \text{（遗忘门）}$$") == []
    assert differ(r"$$f_t \text{ (forget gate)}$$", r"$$f_{t} \text{（遗忘门）}$$") == ["display math"]


@pytest.mark.parametrize("stem", STEMS)
def test_the_chinese_notebook_has_the_english_code_and_outputs(stem):
    english, chinese = translate.english(stem), translate.chinese(stem)
    assert [cell.cell_type for cell in chinese.cells] == [cell.cell_type for cell in english.cells]
    for en, zh in zip(english.cells, chinese.cells):
        assert zh.id == en.id
        if en.cell_type == "code":
            assert code_tokens(zh.source) == code_tokens(en.source), en.id
            assert zh.outputs == en.outputs
            assert zh.metadata.get("tags") == en.metadata.get("tags")
        elif prose_words(en.source) >= 3:
            assert re.search(r"[\u4e00-\u9fff]", zh.source), f"cell {en.id} is not in Chinese"
    folds = [cell.metadata["mystnb"]["code_prompt_show"] for cell in chinese.cells
             if "code_prompt_show" in cell.metadata.get("mystnb", {})]
    assert folds and all(re.match(r"[\u4e00-\u9fff]", fold) for fold in folds), folds


def prose_words(markdown):
    """How many English words a markdown text has outside its formulas, code, directives and labels."""
    for pattern in translated_pages.KEPT.values():
        markdown = pattern.sub(" ", markdown)
    return len(re.findall(r"[A-Za-z]{2,}", markdown))


def test_a_fold_line_without_a_translation_stops_the_generation():
    with pytest.raises(ValueError, match="interface.yml"):
        translate.fold_line("Show the new cell", translate.interface()["fold_lines"])
    assert translate.fold_line("Show the shared helpers: sigmoid", {"Show the shared helpers: ": "显示："}) == \
        "显示：sigmoid"


def test_the_chinese_configuration_is_the_english_one_seen_from_zh():
    config = translate.chinese_config()
    sphinx = config["sphinx"]["config"]
    # Sphinx reads the book's paths from its source folder, zh/, wherever the configuration file lies.
    for path in [*config["bibtex_bibfiles"], *sphinx["html_static_path"], sphinx["search_words_page"]]:
        assert (ZH / path).exists(), path
    assert config["repository"] == {**translate.yaml.safe_load((translate.REPO / "_config.yml").read_text(
        encoding="utf-8"))["repository"], "branch": sphinx["zh_notebooks_branch"], "path_to_book": "zh"}
    words = translate.interface()
    assert (config["title"], sphinx["language"], sphinx["nb_code_prompt_show"]) == \
        (words["title"], words["language"], words["code_prompt_show"])


def test_the_chapter_descriptions_have_current_translations():
    assert translated_pages.chapter_problems() == []


def test_a_changed_chapter_description_makes_its_translation_stale(monkeypatch):
    texts = translated_pages.chapter_texts()
    place = ("chapters", "gru", "learn")
    monkeypatch.setattr(translated_pages, "chapter_texts", lambda: {**texts, place: texts[place] + ", and more"})
    assert translated_pages.chapter_problems() == [
        "chapters: chapters.gru.learn changed in English since it was translated"]
    assert translated_pages.chapter_translation()[place] == texts[place] + ", and more"  # the English stands in


def test_every_page_was_translated_from_the_current_english():
    assert translated_pages.page_problems() == []


@pytest.fixture
def pages(tmp_path, monkeypatch):
    """A copy of the English and Chinese pages, with a record of their English made now, which
    course_tools/translated_pages.py reads instead of the repository's."""
    for page in translated_pages.PAGES:
        for path in (page, f"zh/{page}"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text((translate.REPO / path).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(translated_pages, "REPO", tmp_path)
    monkeypatch.setattr(translated_pages, "PRINTS", tmp_path / "pages.yml")
    for page in translated_pages.PAGES:
        translated_pages.accept_page(page)
    assert translated_pages.page_problems() == []
    return tmp_path


def change(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_english_paragraph_makes_its_page_stale_until_accepted(pages):
    intro = pages / "book" / "intro.md"
    old = [p for p in intro.read_text(encoding="utf-8").split("\n\n") if not p.startswith(("#", "`", "-"))][1]
    change(intro, old, "Changed: " + old)
    assert translated_pages.page_problems() == [
        f"book/intro.md: the paragraph {' '.join(('Changed: ' + old).split())[:60]!r} is new or changed in English "
        "since zh/book/intro.md was translated",
        f"book/intro.md: the paragraph that began {' '.join(old.split())[:60]!r} is no longer in English: take it "
        "out of zh/book/intro.md"]
    translated_pages.accept_page("book/intro.md")
    assert translated_pages.page_problems() == []
    (pages / "zh" / "book" / "references.md").unlink()
    assert translated_pages.page_problems() == [
        "book/references.md has no translation: write zh/book/references.md, then run --accept book/references.md"]


def test_accept_names_what_was_brought_up_to_date(capsys):
    with pytest.raises(SystemExit):
        translate.main(["--accept"])
    with pytest.raises(SystemExit):
        translate.main(["--accept", "book/nowhere.md"])
    assert "not a translated page: book/nowhere.md" in capsys.readouterr().err


def test_a_changed_list_item_is_named_by_its_own_words(pages):
    page = pages / "book" / "instructors.md"
    item = next(line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("- "))
    change(page, item, item + " One more sentence.")
    listed = translated_pages.page_problems()
    assert len(listed) == 2 and all(item[:40] in line for line in listed), listed
