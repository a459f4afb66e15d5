"""The Simplified Chinese edition (course_tools/translate.py): complete, current, and the English course's own code.

Fails when an English text (a markdown cell, a figure's caption or alt text, a code comment) has no translation,
when it changed after its translation was made, or when a translation lost a formula, a code span, a label or a
link target; each failure names the notebook and the cell. The Chinese notebooks are generated (here, afresh):
their code and outputs are the English notebooks' own (comments aside), so nbval's run of the English notebooks
covers them.
"""

import io
import re
import shutil
import tokenize

import pytest
import yaml
from conftest import NOTEBOOKS

from course_tools import ZH, notebooks, translate, translated_pages

STEMS = [path.stem for path in NOTEBOOKS]


def code_tokens(source):
    """The cell's Python tokens without its comments (IPython's magics and shell lines are none of them)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(token.type, token.string) for token in tokens
            if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)]


@pytest.mark.parametrize("stem", STEMS)
def test_every_text_has_a_current_translation(stem):
    assert translated_pages.problems(stem) == []


@pytest.fixture
def english(tmp_path, monkeypatch):
    """A copy of the English notebooks, which course_tools/translated_pages.py reads instead of notebooks/: a
    function that returns one (by stem) and writes it back changed."""
    for path in NOTEBOOKS:
        shutil.copy(path, tmp_path)
    monkeypatch.setattr(translated_pages, "NOTEBOOKS", tmp_path)

    def change(stem, edit):
        nb = notebooks.read(tmp_path / f"{stem}.ipynb")
        cell = edit(nb.cells)
        notebooks.write(nb, tmp_path / f"{stem}.ipynb")
        return cell
    return change


def add_a_sentence(cells):
    cell = next(cell for cell in cells if cell.cell_type == "markdown")
    cell.source += " One more English sentence."
    return cell


def add_a_comment(cells):
    cell = next(cell for cell in cells if cell.cell_type == "code" and translated_pages.translatable(cell))
    cell.source = "x = 1  # a comment nobody translated\n" + cell.source
    return cell


def test_a_changed_english_cell_makes_its_translation_stale(english):
    cell = english("lstm", add_a_sentence)
    assert translated_pages.problems("lstm") == [
        f"lstm: markdown.{cell.id} changed in English since it was translated"]


def test_a_new_english_comment_has_no_translation(english):
    english("gru", add_a_comment)
    assert translated_pages.problems("gru") == ["gru: the comment 'a comment nobody translated' has no translation"]


def test_update_adds_what_is_new_and_accept_records_the_english(english, tmp_path, monkeypatch):
    """--update: a new text gets an entry, its translation empty; a translated one keeps the English it was made
    from (so it stays stale). --accept: every entry records the current English. The same for the chapters."""
    records = tmp_path / "i18n"
    shutil.copytree(translated_pages.I18N, records)
    monkeypatch.setattr(translated_pages, "I18N", records)
    monkeypatch.setattr(translated_pages, "CHAPTERS", records / "chapters.yml")
    changed = english("gru", add_a_sentence)
    english("gru", add_a_comment)
    before = yaml.safe_load((records / "gru.yml").read_text(encoding="utf-8"))
    translated_pages.update("gru")
    after = yaml.safe_load((records / "gru.yml").read_text(encoding="utf-8"))
    assert after["markdown"][changed.id] == before["markdown"][changed.id]
    assert after["comments"]["a comment nobody translated"] == ""
    assert translated_pages.problems("gru") == [
        f"gru: markdown.{changed.id} changed in English since it was translated",
        "gru: the comment 'a comment nobody translated' has no translation"]
    translated_pages.update("gru", accept=True)
    accepted = yaml.safe_load((records / "gru.yml").read_text(encoding="utf-8"))
    assert accepted["markdown"][changed.id] == {"en": changed.source, "zh": before["markdown"][changed.id]["zh"]}
    assert translated_pages.problems("gru") == ["gru: the comment 'a comment nobody translated' has no translation"]
    assert (accepted["captions"], accepted["comments"]) == (after["captions"], after["comments"])
    text = (records / "chapters.yml").read_text(encoding="utf-8")
    translated_pages.update("chapters")
    assert (records / "chapters.yml").read_text(encoding="utf-8") == text, "a current record is rewritten unchanged"


def test_a_lost_formula_is_found():
    def differ(en, zh):
        return translated_pages.stale({"en": en, "zh": zh}, en)
    assert differ("the state $h_t$ and `fit`", "状态 h_t 和 `fit`") == ": the translation changed its inline math"
    assert differ("see {ref}`why <on-a-gpu>`", "见 {ref}`原因 <on-a-gpu>`") is None
    # the words of a formula are translated, the formula is not
    assert differ(r"$$f_t \text{ (forget gate)}$$", r"$$f_t \text{（遗忘门）}$$") is None
    assert differ(r"$$f_t \text{ (forget gate)}$$", r"$$f_{t} \text{（遗忘门）}$$") == \
        ": the translation changed its display math"


@pytest.mark.parametrize("stem", STEMS)
def test_the_chinese_notebook_has_the_english_code_and_outputs(stem):
    english, chinese = notebooks.read(translated_pages.NOTEBOOKS / f"{stem}.ipynb"), translate.chinese(stem)
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


def test_a_fold_line_keeps_what_follows_its_translated_start_and_needs_a_translation(monkeypatch):
    words = translate.interface()
    english = notebooks.read(translated_pages.NOTEBOOKS / "gru.ipynb").cells
    monkeypatch.setattr(translate, "interface", lambda: {**words, "fold_lines": {"Show ": "显示："}})
    folds = [(en.metadata["mystnb"]["code_prompt_show"], zh.metadata["mystnb"]["code_prompt_show"])
             for en, zh in zip(english, translate.chinese("gru").cells)
             if "code_prompt_show" in en.metadata.get("mystnb", {})]
    assert folds and all(zh == "显示：" + en.removeprefix("Show ") for en, zh in folds), folds
    monkeypatch.setattr(translate, "interface", lambda: {**words, "fold_lines": {}})
    with pytest.raises(ValueError, match="interface.yml"):
        translate.chinese("gru")


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
    assert translated_pages.problems("chapters") == []


def test_a_changed_chapter_description_makes_its_translation_stale(tmp_path, monkeypatch):
    data = yaml.safe_load((translate.REPO / "book" / "chapters.yml").read_text(encoding="utf-8"))
    data["chapters"]["gru"]["learn"] += ", and more"
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "chapters.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(translated_pages, "REPO", tmp_path)
    assert translated_pages.problems("chapters") == [
        "chapters: chapters.gru.learn changed in English since it was translated"]
    place = ("chapters", "gru", "learn")  # the English stands in
    assert translated_pages.chapter_translation()[place] == data["chapters"]["gru"]["learn"]


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
        translated_pages.update(page, accept=True)
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
    translated_pages.update("book/intro.md")
    assert len(translated_pages.page_problems()) == 2, "--update records no page"
    translated_pages.update("book/intro.md", accept=True)
    assert translated_pages.page_problems() == []
    (pages / "zh" / "book" / "references.md").unlink()
    assert translated_pages.page_problems() == [
        "book/references.md: zh/book/references.md is missing or not recorded: write it, then run --accept "
        "book/references.md"]


def test_accept_names_what_was_brought_up_to_date(capsys):
    with pytest.raises(SystemExit):
        translate.main(["--accept"])
    with pytest.raises(SystemExit):
        translate.main(["--accept", "book/nowhere.md"])
    assert "or `chapters`: book/nowhere.md" in capsys.readouterr().err


def test_a_changed_list_item_is_named_by_its_own_words(pages):
    page = pages / "book" / "instructors.md"
    item = next(line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("- "))
    change(page, item, item + " One more sentence.")
    listed = translated_pages.page_problems()
    assert len(listed) == 2 and all(item[:40] in line for line in listed), listed
