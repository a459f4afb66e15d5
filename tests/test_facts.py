"""Facts the pages repeat agree with their sources, and the repository's address is written in one place.

The generated blocks of README.md and book/ (course_tools/course_facts.py) must be what the notebooks,
_toc.yml, book/chapters.yml, results/test_run.json and _config.yml give today; the recorded test run
must be of the pinned versions and of every notebook; and no tracked file may spell out the repository's
address, its owner or its name except _config.yml, those generated blocks, and the notebook cells that
course_tools/shared_code.py generates (metadata "shared").
"""

import json
import re
import subprocess

import pytest
import yaml
from conftest import REPO

from course_tools import course_facts
from course_tools.notebooks import requirement_pins
from notebook_helpers import config

# The blocks each page must carry, so that a table cannot quietly go back to being typed by hand.
REQUIRED_BLOCKS = {
    "README.md": {"pages-url", "branch", "colab-form", "colab-example", "readme-chapters", "readme-test-run",
                  "zh-pages-url", "zh-colab-form"},
    "book/intro.md": {"intro-clone", "intro-sections"},
    "book/instructors.md": {"least-exercises", "instructors-chapters", "colab-form", "solution-cells"},
    "book/reproducibility.md": {"test-run-record"},
}
REQUIRED_BLOCKS.update({f"zh/{page}": blocks for page, blocks in REQUIRED_BLOCKS.items() if page.startswith("book/")})
# Adjacent string literals, which Python and many other languages join: "ab" "cd" is "abcd".
STRING_JOIN = re.compile(r"""["']\s*\+?\s*(?:\\\s*)?[rRbBfFuU]{0,2}["']""")


def test_generated_blocks_are_up_to_date():
    stale = course_facts.stale_pages()
    assert not stale, f"stale generated blocks in {sorted(stale)}: run .venv/bin/python course_tools/course_facts.py"


def test_pages_carry_their_generated_blocks():
    assert set(REQUIRED_BLOCKS) == set(course_facts.PAGES)
    names = set(course_facts.blocks())
    for page, required in REQUIRED_BLOCKS.items():
        found = {match[1] for match in course_facts.BLOCK.finditer((REPO / page).read_text(encoding="utf-8"))}
        assert required <= found, f"{page} lacks the generated blocks {sorted(required - found)}"
        assert found <= names, f"{page} has blocks no source writes: {sorted(found - names)}"


def test_chapter_prose_describes_exactly_the_notebooks_of_the_table_of_contents():
    data = yaml.safe_load(course_facts.CHAPTERS.read_text(encoding="utf-8"))
    stems = course_facts.notebook_stems()
    assert set(data["chapters"]) == set(stems)
    assert {path.stem for path in (REPO / "notebooks").glob("*.ipynb")} == set(stems)
    course_facts.chapters_data()  # and each chapter needs only earlier ones


def test_recorded_test_run_is_complete_and_of_the_pinned_versions():
    run = course_facts.recorded_run()
    pins = requirement_pins()
    assert run["versions"]["tensorflow"] == pins["tensorflow"], "re-record the test run after changing the pins"
    assert run["versions"]["keras"] == pins["keras"], "re-record the test run after changing the pins"
    assert set(run["notebook_seconds"]) == set(course_facts.notebook_stems()), "re-record: the notebooks changed"
    tests = run["tests"]
    if run.get("first"):  # a new chapter's first run (--record --first): it failed in test_facts.py alone
        assert tests["failing"] and all(t.startswith("tests/test_facts.py::") for t in tests["failing"])
    else:
        assert tests["failed"] == tests["errors"] == 0
    assert tests["passed"] + tests["skipped"] + tests["failed"] + tests["errors"] == tests["collected"] > 0
    assert run["pytest_seconds"] > sum(run["notebook_seconds"].values()) > 0
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", run["date"]) and run["machine"]["cpu"] and run["machine"]["cores"] > 0


@pytest.mark.parametrize("stem", course_facts.notebook_stems())
def test_notebook_states_about_its_recorded_time(stem):
    cells = json.loads((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    stated = re.search(r"\*\*Time\.\*\*[^*]*?\babout (\d+) seconds", markdown)
    assert stated, "the introduction says **Time.** The whole notebook runs in about N seconds ..."
    recorded = course_facts.recorded_run()["notebook_seconds"][stem]
    assert abs(int(stated[1]) - recorded) <= max(10, 0.4 * recorded), \
        f"the notebook says about {stated[1]} s, results/test_run.json records {recorded} s"


CELL_TIME = re.compile(r"\btakes about (\d+) seconds")


def announced_code_cells(stem):
    """(nbval's number of each code cell, the markdown read since the previous code cell), in order."""
    cells = json.loads((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    announced, markdown, number = [], "", 0
    for cell in cells:
        if cell["cell_type"] == "markdown":
            markdown += " " + " ".join("".join(cell["source"]).split())
        elif cell["cell_type"] == "code":
            announced.append((str(number), markdown))
            markdown, number = "", number + 1
    return announced


@pytest.mark.parametrize("stem", course_facts.notebook_stems())
def test_a_long_cell_is_announced_with_its_recorded_time(stem):
    # A reader never waits in silence: the text before a cell that ran 15 s or more says how long it takes,
    # and every "takes about N seconds" agrees with the cell's time in the recorded run.
    seconds = course_facts.recorded_run()["cell_seconds"][stem]
    for number, markdown in announced_code_cells(stem):
        recorded = seconds[number]
        for stated in map(int, CELL_TIME.findall(markdown)):
            assert abs(stated - recorded) <= max(5, 0.5 * recorded), \
                f"before code cell {number}: 'takes about {stated} seconds', results/test_run.json records {recorded} s"
        if recorded >= 15:
            assert re.search(r"\b(seconds?|minutes?|how long)\b", markdown), \
                f"code cell {number} ran {recorded} s: the text before it must say how long it takes"


def test_the_book_is_published_from_the_configured_branch():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == [config.BRANCH]


def test_wording_helpers():
    assert course_facts.duration(524) == "8 minutes 44 seconds"
    assert course_facts.duration(60) == "1 minute"
    assert [course_facts.about_seconds(s) for s in (6, 24, 32, 34, 71)] == \
        ["under 10 s", "about 25 s", "about 30 s", "about 35 s", "about 1 min 10 s"]
    assert course_facts.about_minutes(193) == "about three minutes"
    assert [course_facts.zh_duration(s) for s in (524, 600, 43)] == ["8 分 44 秒", "10 分钟", "43 秒"]
    assert [course_facts.about_seconds(s, chinese=True) for s in (6, 24, 71, 118)] == \
        ["不到 10 秒", "约 25 秒", "约 1 分 10 秒", "约 2 分钟"]
    assert course_facts.zh_about_minutes(371) == "约 6 分钟"
    assert [course_facts.zh_number(n) for n in (2, 3, 13, 16)] == ["两", "三", "十三", "16"]
    assert course_facts.zh_number(2, counting=False) == "二"


def test_record_refuses_an_incomplete_or_failing_run(tmp_path, monkeypatch):
    run = course_facts.recorded_run()
    run.pop("ci_run", None)
    run.pop("first", None)
    run["tests"] = {**run["tests"], "failed": 0, "errors": 0, "failing": []}
    run["tests"]["passed"] = run["tests"]["collected"] - run["tests"]["skipped"]
    run["test_file_seconds"] = {str(p.relative_to(REPO)): 1.0 for p in (REPO / "tests").glob("test_*.py")}
    run["cell_seconds"] = {stem: {"0": 1.0} for stem in course_facts.notebook_stems()}
    monkeypatch.setattr(course_facts, "TEST_RUN", tmp_path / "kept.json")
    for change in ({"failed": 1}, {"deselected": 3}):
        bad = {**run, "tests": {**run["tests"], **change}}
        (tmp_path / "bad.json").write_text(json.dumps(bad))
        with pytest.raises(SystemExit):
            course_facts.record(tmp_path / "bad.json")
    partial = {**run, "notebook_seconds": dict(list(run["notebook_seconds"].items())[1:])}
    (tmp_path / "bad.json").write_text(json.dumps(partial))
    with pytest.raises(SystemExit):
        course_facts.record(tmp_path / "bad.json")
    # A new chapter's first run may fail in test_facts.py alone (--first), and nowhere else.
    facts_only = {**run, "tests": {**run["tests"], "failed": 1, "failing": ["tests/test_facts.py::test_x"]}}
    elsewhere = {**run, "tests": {**run["tests"], "failed": 1, "failing": ["notebooks/lstm.ipynb::Cell 3"]}}
    (tmp_path / "bad.json").write_text(json.dumps(facts_only))
    with pytest.raises(SystemExit):
        course_facts.record(tmp_path / "bad.json")
    course_facts.record(tmp_path / "bad.json", first=True)
    assert json.loads((tmp_path / "kept.json").read_text())["first"] is True
    (tmp_path / "bad.json").write_text(json.dumps(elsewhere))
    with pytest.raises(SystemExit):
        course_facts.record(tmp_path / "bad.json", first=True)
    (tmp_path / "good.json").write_text(json.dumps(run))
    course_facts.record(tmp_path / "good.json", ci_seconds=600, ci_how="timed by hand")
    assert json.loads((tmp_path / "kept.json").read_text())["ci_run"]["seconds"] == 600


# --- the repository's address -----------------------------------------------------------------------

def address_texts(root, path):
    """The texts of a tracked file in which the address must not appear, as (where, text) pairs."""
    data = (root / path).read_bytes()
    if b"\0" in data[:8192]:
        return []  # binary
    text = data.decode("utf-8", errors="replace")
    if path in ("_config.yml", "zh/_config.yml"):  # the second is generated from the first (test_translation)
        return []
    if path in course_facts.PAGES:
        for start, end in reversed(course_facts.generated_spans(text)):
            text = text[:start] + text[end:]
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
    assert not found, ("the repository's address is written by hand in _config.yml alone; use course.config, "
                       "a shared cell (course_tools/shared_code.py) or a block of course_tools/course_facts.py:\n"
                       + "\n".join(found))


def test_the_address_check_finds_what_it_must(tmp_path):
    owner, name = config.OWNER, config.NAME
    split = f'URL = ("https://raw.githubusercontent.com/{owner[:3]}"\n       "{owner[3:]}/{name[:5]}" \\\n  ' \
            f'f"{name[5:]}/{config.BRANCH}/")\n'
    files = {
        "split.py": split,
        "plain.md": f"Clone {config.REPOSITORY_URL.upper()}.git\n",
        "page-like.md": f"<!-- facts:pages-url --><{config.PAGES_URL}><!-- /facts:pages-url -->\n",
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
        (tmp_path / path).write_text(text)
    found = hard_coded_addresses(tmp_path, list(files))
    where = {line.split(":")[0] for line in found}
    # Markers outside the pages course_facts.py writes exempt nothing.
    assert where == {"split.py", "plain.md", "page-like.md", "chapter.ipynb cell 1"}, found
    assert all(config.NAME.lower() in line for line in found if line.startswith(("split.py", "chapter")))
