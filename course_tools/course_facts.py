"""Write the facts that the course's pages repeat, from their sources.

    .venv/bin/python course_tools/course_facts.py            # rewrite the generated blocks
    .venv/bin/python course_tools/course_facts.py --check    # exit 1 if a block is stale
    .venv/bin/python course_tools/course_facts.py --record _build/test-run.json \\
        [--ci-run-seconds 579 --ci-run-how "..."]       # keep a full test run, then rewrite

A generated block lies between `<!-- facts:NAME -->` and `<!-- /facts:NAME -->` in README.md and the
pages of book/ (PAGES); everything outside the markers is written by hand. The markers are HTML
comments, which neither GitHub nor the book shows. A block on lines of its own is a Markdown block
(a table, a code fence, paragraphs); a block inside a line is a phrase. The facts come from:

- `_config.yml`: the repository's address and branch (through `course.config`): the Pages URL, the
  Colab link form, the `git clone` lines;
- `_toc.yml` and the notebooks: the chapters' order, titles (the first `# ` line; the short title is
  the part before a colon), exercises (`{exercise}` directives) and solution code cells (tagged
  `solution`, and how many of them `assert`);
- `book/chapters.yml`: what cannot be computed (the sections of the book's chapter each notebook
  covers, what students learn, what they need first, the README's line about it);
- `results/test_run.json`: a recorded full run of `make test` (`course_tools/pytest_plugin.py` writes
  `_build/test-run.json` at the end of every run that executes the notebooks; `--record` checks that
  the run was complete and passed, and copies it there): the time of each notebook under nbval, the
  test count and duration, the machine and the versions. The time of `bash .ci/run`, which pytest
  cannot measure, is entered with `--ci-run-seconds` (and how it was measured with `--ci-run-how`);
  without it the record keeps none and the README states none.

`tests/test_facts.py` fails when a block is stale.
"""

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from course_tools import EXPERIMENTS, translate
from course_tools.notebooks import NEEDS_DATA, REPO
from experiments import benchmark
from notebook_helpers import config

PAGES = ["README.md", "book/intro.md", "book/instructors.md", "book/reproducibility.md",
         "zh/book/intro.md", "zh/book/instructors.md", "zh/book/reproducibility.md"]
# The Chinese edition's pages (zh/book/) take their blocks from chinese_blocks() where it writes one.
CHAPTERS = REPO / "book" / "chapters.yml"
TEST_RUN = EXPERIMENTS / "test_run.json"
BENCHMARK = EXPERIMENTS / "benchmark.csv"
SWEEPS = {"plain port": "seed_sweep.csv", "fast configuration": "seed_sweep_fast.csv",
          "fast configuration on JAX": "seed_sweep_jax.csv"}
BLOCK = re.compile(r"<!-- facts:([a-z0-9-]+) -->(.*?)<!-- /facts:\1 -->", re.DOTALL)
EXERCISE = re.compile(r"^ *(?:`{3,}|:{3,})\{exercise\}", re.MULTILINE)
SECTION_NUMBER = re.compile(r"(\d+)\.(?:–(\d+)\.)? ")
WIDTH = 110  # the pages' hand-written lines are about this long
WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()


# --- sources -------------------------------------------------------------------------------------------

def toc_files(book=REPO):
    """Every file of the book's _toc.yml (root first, then in the order of the table of contents), without
    suffix; `book` is the English book's folder or the Chinese one's (zh/)."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part["chapters"])
    return files


def notebook_stems():
    """The notebooks of the course, in the order of _toc.yml."""
    return [Path(file).name for file in toc_files() if file.startswith("notebooks/")]


@dataclass(frozen=True)
class Notebook:
    stem: str
    title: str
    exercises: int
    solution_cells: int
    solution_asserts: int  # solution code cells that contain an `assert`
    check_cells: int  # code cells tagged `check`: an exercise's answer checked

    @property
    def short_title(self):
        return re.split(r"：|: ", self.title, maxsplit=1)[0]  # a Chinese title's colon is a full-width one


def read_notebook(stem, folder=REPO / "notebooks"):
    cells = json.loads((folder / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).splitlines()[0] if cells and cells[0]["cell_type"] == "markdown" else ""
    if not first.startswith("# "):
        raise ValueError(f"{folder / stem}.ipynb: the first cell must be a markdown cell opening with '# '")
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    solutions = ["".join(c["source"]) for c in cells
                 if c["cell_type"] == "code" and "solution" in c["metadata"].get("tags", [])]
    checks = sum(c["cell_type"] == "code" and "check" in c["metadata"].get("tags", []) for c in cells)
    return Notebook(stem, first[2:].strip(), len(EXERCISE.findall(markdown)), len(solutions),
                    sum(bool(re.search(r"^\s*assert\b", source, re.MULTILINE)) for source in solutions), checks)


def chapters_data():
    """book/chapters.yml, checked against _toc.yml."""
    data = yaml.safe_load(CHAPTERS.read_text(encoding="utf-8"))
    stems = notebook_stems()
    if set(data["chapters"]) != set(stems):
        raise ValueError(f"{CHAPTERS.name} must describe exactly the notebooks of _toc.yml: "
                         f"missing {sorted(set(stems) - set(data['chapters']))}, "
                         f"extra {sorted(set(data['chapters']) - set(stems))}")
    for stem, chapter in data["chapters"].items():
        if not isinstance(chapter["needs"], str):
            later = [need for need in chapter["needs"] if need not in stems[:stems.index(stem)]]
            if later:
                raise ValueError(f"{CHAPTERS.name}: {stem} needs {later}, which are not earlier chapters")
    return data


def recorded_run():
    return json.loads(TEST_RUN.read_text(encoding="utf-8"))


# --- wording -------------------------------------------------------------------------------------------

def number(n):
    return WORDS[n] if 0 <= n < len(WORDS) else str(n)


def duration(seconds):
    """An exact time: `8 minutes 44 seconds`."""
    minutes, seconds = divmod(round(seconds), 60)
    parts = [f"{minutes} minute{'s' * (minutes != 1)}"] * bool(minutes)
    parts += [f"{seconds} second{'s' * (seconds != 1)}"] * bool(seconds or not minutes)
    return " ".join(parts)


def about_seconds(seconds, chinese=False):
    """A rounded time for a table: `under 10 s`, `about 25 s`, `about 1 min 10 s`; in Chinese 不到 10 秒, 约 25 秒,
    约 1 分 10 秒."""
    under, about, unit, minute, whole = ("不到 ", "约 ", " 秒", " 分 ", " 分钟") if chinese else \
        ("under ", "about ", " s", " min ", " min")
    if seconds < 10:
        return f"{under}10{unit}"
    if seconds < 60:
        return f"{about}{5 * round(seconds / 5)}{unit}"
    minutes, rest = divmod(10 * round(seconds / 10), 60)
    return f"{about}{minutes}{minute}{rest}{unit}" if rest else f"{about}{minutes}{whole}"


def about_minutes(seconds):
    """A rounded time for prose: `about three minutes`."""
    if seconds < 90:
        return f"about {10 * round(seconds / 10)} seconds" if seconds >= 10 else "a few seconds"
    minutes = round(seconds / 60)
    return f"about {number(minutes)} minutes"


def wrap(text):
    """Paragraphs of prose, filled to the pages' width."""
    lines = [line for paragraph in text.split("\n")
             for line in textwrap.wrap(paragraph, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]]
    for line in lines[1:]:  # a continuation line must not read as Markdown syntax
        if re.match(r"([-+*>|#]|\d+[.)])( |$)", line):
            raise ValueError(f"wrapping puts Markdown syntax at the start of a line: {line!r}")
    return "\n".join(lines)


def section_numbers(section):
    match = SECTION_NUMBER.match(section)
    if not match:
        raise ValueError(f"{CHAPTERS.name}: a section must open with its number ('4. ' or '6.–9. '): {section!r}")
    return list(range(int(match[1]), int(match[2] or match[1]) + 1))


def sections_phrase(sections):
    numbers = [n for section in sections for n in section_numbers(section)]
    if len(numbers) == 1:
        return f"section {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"sections {numbers[0]}–{numbers[-1]}"
    return f"sections {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def gpus(run):
    """`, no GPU`, `, 1 GPU`; empty where the record does not say."""
    count = run["machine"].get("gpus")
    return "" if count is None else ", no GPU" if count == 0 else f", {count} GPU{'s' * (count != 1)}"


def clone_lines(book, test):
    """The commands that set the course up from a fresh clone, with what `make book` and `make test` do."""
    return "\n".join(["```bash", f"git clone {config.REPOSITORY_URL}.git", f"cd {config.NAME}",
                      f"make book    # {book}", f"make test    # {test}", "```"])


def colab_form(edition=""):
    """The form of a notebook's Colab link, in the English edition or in zh/."""
    return f"`{config.COLAB_URL}{edition}notebooks/NAME.ipynb`"


def colab_link(stem):
    return f"{config.COLAB_URL}notebooks/{stem}.ipynb"


# --- the blocks ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Course:
    """What the blocks of both editions are made from."""
    stems: list
    notebooks: dict  # stem: Notebook
    data: dict  # book/chapters.yml
    run: dict  # results/test_run.json
    seconds: dict  # stem: seconds under nbval
    rows: list  # (the chapter's section, its place in chapters.yml, the notebook or the place of what covers it)
    sections: int  # how many sections the chapter has
    least_exercises: int  # the fewest exercises a chapter has
    solution_cells: int  # solution code cells, in all
    solution_asserts: int  # those of them that check their result with an `assert`


def course():
    stems = notebook_stems()
    notebooks = {stem: read_notebook(stem) for stem in stems}
    data = chapters_data()
    chapters = data["chapters"]
    run = recorded_run()
    missing = set(stems) - set(run["notebook_seconds"])
    if missing:
        raise ValueError(f"{TEST_RUN.relative_to(REPO)} has no time for {sorted(missing)}: record a full run")

    # The order of the course follows the chapter's: the first sections of each notebook increase, except
    # for a notebook that goes on with a section an earlier notebook covers (seq2seq_attention after gru).
    first = [section_numbers(chapters[stem]["sections"][0])[0] for stem in stems]
    new_first = [n for i, n in enumerate(first) if n not in first[:i]]
    if new_first != sorted(new_first):
        raise ValueError(f"_toc.yml does not follow the chapter's order of sections: {dict(zip(stems, first))}")
    # Places as course_tools/translate.py names them, so that the Chinese edition finds each text's translation.
    rows = [(section, ("chapters", stem, "sections", i), stem)
            for stem in stems for i, section in enumerate(chapters[stem]["sections"])]
    rows += [(other["section"], ("other_sections", i, "section"), ("other_sections", i, "covered_by"))
             for i, other in enumerate(data.get("other_sections", []))]
    rows.sort(key=lambda row: section_numbers(row[0])[0])  # stable: a section's notebooks keep _toc.yml's order
    numbers = sorted({n for section, _, _ in rows for n in section_numbers(section)})
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{CHAPTERS.name}: the chapter's sections must be numbered 1 to N once each: {numbers}")
    return Course(stems, notebooks, data, run, {stem: run["notebook_seconds"][stem] for stem in stems}, rows,
                  numbers[-1], min(nb.exercises for nb in notebooks.values()),
                  sum(nb.solution_cells for nb in notebooks.values()),
                  sum(nb.solution_asserts for nb in notebooks.values()))


def blocks(c=None):
    """Each block's content by name: a phrase (inline), or Markdown lines between newlines."""
    c = course() if c is None else c
    stems, notebooks, data, run, seconds = c.stems, c.notebooks, c.data, c.run, c.seconds
    chapters = data["chapters"]

    def link(stem):
        return f"[{notebooks[stem].short_title}](../notebooks/{stem}.ipynb)"

    def covered(target):
        return link(target) if isinstance(target, str) else data[target[0]][target[1]][target[2]]

    def needs(stem):
        need = chapters[stem]["needs"]
        return need if isinstance(need, str) else ", ".join(notebooks[n].short_title for n in need)

    table = ["| chapter | students learn to | needs first | run time | exercises (with a check cell) |",
             "| --- | --- | --- | --- | --- |"]
    table += [f"| {link(stem)} | {chapters[stem]['learn']} | {needs(stem)} "
              f"| {about_seconds(seconds[stem])} | {nb.exercises} ({nb.check_cells}) |"
              for stem, nb in notebooks.items()]
    cores = run["machine"]["cores"]
    instructors = "\n".join([
        wrap(f"Run times are for the whole notebook under nbval, measured on the {cores}-core machine the "
             f"course is tested on ({run['machine']['cpu']}{gpus(run)}, TensorFlow "
             f"{run['versions']['tensorflow']}, the test run of {run['date']}); a laptop or a Colab runtime "
             "will differ."),
        "", *table, "",
        wrap(f"All chapters together run in {about_minutes(sum(seconds.values()))} on that machine "
             "(`make test` re-executes every one of them)."),
    ])

    intro_sections = "\n".join([
        wrap(f"The chapter's {number(c.sections)} sections and where the course covers them; the order of the "
             "course follows the chapter."),
        "", "| the chapter's section | in this course |", "| --- | --- |",
        *[f"| {section} | {covered(target)} |" for section, _, target in c.rows],
    ])

    readme_chapters = "\n".join([
        wrap("The course's chapters, in the order of the sections of the book's chapter that they cover "
             "([`book/intro.md`](book/intro.md) maps the sections one by one):"), "",
        *[textwrap.fill(f"- **[{nb.title}](notebooks/{stem}.ipynb)** ({sections_phrase(chapters[stem]['sections'])}"
                        f"): {chapters[stem]['readme']}", WIDTH, subsequent_indent="  ",
                        break_long_words=False, break_on_hyphens=False)
          for stem, nb in notebooks.items()],
    ])

    tests = run["tests"]
    skipped = f", {tests['skipped']} of them skipped" if tests.get("skipped") else ""
    test_run_text = (f"Measured on the {cores}-core machine the course is tested on ({run['machine']['cpu']}, "
                     f"{run['date']}): {duration(run['pytest_seconds'])} for the {tests['collected']} tests"
                     f"{skipped}")
    if run.get("ci_run"):
        test_run_text += (f", {duration(run['ci_run']['seconds'])} for `bash .ci/run` "
                          f"({run['ci_run']['how']})")
    test_run_text += (f". The notebooks themselves take {about_minutes(sum(seconds.values()))} under nbval")
    colab = run.get("test_file_seconds", {}).get("tests/test_colab.py")
    if colab:
        test_run_text += (f"; nbval runs {number(len(stems) - len(NEEDS_DATA))} of them alone, as Colab does, "
                          f"and the Colab test takes "
                          f"{about_minutes(colab)} more to run the {number(len(NEEDS_DATA))} that read data "
                          "alone as well")
    test_run_text += (". The run ends with each notebook's execution time, also written to "
                      "`_build/notebook-times.csv`, and writes its record to `_build/test-run.json`; these "
                      "figures come from the one kept in `results/test_run.json`.")

    versions = run["versions"]
    record = [
        "| what | recorded |", "| --- | --- |",
        f"| run | {run['date']}{' (' + run['note'] + ')' if run.get('note') else ''} |",
        f"| machine | {run['machine']['cpu']}, {cores} cores{gpus(run)} |",
        f"| versions | Python {versions['python']}, TensorFlow {versions['tensorflow']}, "
        f"Keras {versions['keras']} |",
        f"| `make test` | {tests['collected']} tests, {tests['passed']} passed{skipped}, "
        f"in {duration(run['pytest_seconds'])} |",
    ]
    if run.get("ci_run"):
        record.append(f"| `bash .ci/run` | {duration(run['ci_run']['seconds'])} ({run['ci_run']['how']}) |")
    record += [f"| {link(stem)} under nbval | {seconds[stem]:.0f} s |" for stem in stems]

    low, cells, asserting = c.least_exercises, c.solution_cells, c.solution_asserts
    checked = ("all" if asserting == cells else "all but one of" if asserting == cells - 1
               else f"{asserting} of")
    clone = clone_lines("set up .venv, build the book (both editions) into _build/html",
                        "set up .venv, run every test")
    example = stems[-1]
    return {
        "pages-url": f"<{config.PAGES_URL}>",
        "zh-pages-url": f"<{config.PAGES_URL}zh/>",
        "zh-colab-form": colab_form("zh/"),
        "pdf-url": f"<{config.PAGES_URL}{config.NAME}.pdf>",
        "student-zip-url": f"<{config.PAGES_URL}{config.NAME}-student.zip>",
        "branch": f"`{config.BRANCH}`",
        "colab-form": colab_form(),
        "colab-example": f"[{notebooks[example].short_title}]({colab_link(example)})",
        "readme-chapters": f"\n{readme_chapters}\n",
        "readme-test-run": f"\n{wrap(test_run_text)}\n",
        "intro-clone": f"\n{clone}\n",
        "intro-sections": f"\n{intro_sections}\n",
        "instructors-chapters": f"\n{instructors}\n",
        "least-exercises": f"at least {number(low)} exercises",
        "solution-cells": f"{checked} the {cells} solution code cells check",
        "test-run-record": "\n" + "\n".join(record) + "\n",
        "benchmark-report": f"\n```text\n{benchmark.report(benchmark.read(BENCHMARK))}\n```\n",
        "seed-bands": "\n" + "\n".join(seed_bands()) + "\n",
    }


def seed_bands():
    """A table of the recorded seed sweeps: each one's test accuracies, and its difference from the plain port."""
    # Computed as the MNIST notebook computes them (NumPy), so that both print the same digits.
    accuracies = {name: np.array([float(row["test_accuracy"]) for row in benchmark.read(EXPERIMENTS / file)])
                  for name, file in SWEEPS.items()}
    plain = accuracies["plain port"]
    rows = ["| configuration | file | seeds | mean test accuracy | standard deviation | minus the plain port's mean "
            "(standard error) |", "| --- | --- | --- | --- | --- | --- |"]
    for (name, file), values in zip(SWEEPS.items(), accuracies.values()):
        gap = values.mean() - plain.mean()
        error = np.sqrt(plain.var(ddof=1) / len(plain) + values.var(ddof=1) / len(values))
        rows.append(f"| {name} | `results/{file}` | {len(values)} | {values.mean():.4f} | "
                    f"{values.std(ddof=1):.4f} | "
                    + ("–" if values is plain else f"{gap:+.4f} ({error:.4f})") + " |")
    return rows


# --- the pages -----------------------------------------------------------------------------------------

def render(text, facts, where="the page"):
    """`text` with every generated block rewritten from `facts`."""
    def replace(match):
        name, old = match[1], match[2]
        if name not in facts:
            raise KeyError(f"{where}: unknown block facts:{name} (known: {', '.join(sorted(facts))})")
        new = facts[name]
        # A comment that opens a line is a Markdown HTML block, which would swallow the rest of its line:
        # a block's markers stand on lines of their own, a phrase's opening marker follows some text.
        line_start = text.rfind("\n", 0, match.start()) + 1
        opens_line = not text[line_start:match.start()].strip()
        if new.startswith("\n") and not (old.startswith("\n") and match.start() == line_start):
            raise ValueError(f"{where}: the markers of facts:{name} must stand on lines of their own")
        if not new.startswith("\n") and (old.startswith("\n") or opens_line):
            raise ValueError(f"{where}: facts:{name} is a phrase: put its markers inside a line, after some text")
        return f"<!-- facts:{name} -->{new}<!-- /facts:{name} -->"

    return BLOCK.sub(replace, text)


def generated_spans(text):
    """(start, end) of each generated block in `text`, markers included."""
    return [match.span() for match in BLOCK.finditer(text)]


# --- the Chinese edition's blocks -----------------------------------------------------------------------

ZH_NUMBERS = "零 一 两 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五".split()


def zh_number(n, counting=True):
    """A small number in Chinese characters (两 before a measure word, 二 in 十二 and when not counting)."""
    if not 0 <= n < len(ZH_NUMBERS):
        return str(n)
    return "二" if n == 2 and not counting else ZH_NUMBERS[n]


def zh_duration(seconds):
    """`8 分 44 秒`, `10 分钟`, `43 秒`."""
    minutes, seconds = divmod(round(seconds), 60)
    if not minutes:
        return f"{seconds} 秒"
    return f"{minutes} 分 {seconds} 秒" if seconds else f"{minutes} 分钟"


def zh_about_minutes(seconds):
    if seconds < 90:
        return f"约 {10 * round(seconds / 10)} 秒" if seconds >= 10 else "几秒钟"
    return f"约 {round(seconds / 60)} 分钟"


def zh_gpus(run):
    count = run["machine"].get("gpus")
    return "" if count is None else "，无 GPU" if count == 0 else f"，{count} 块 GPU"


def chinese_blocks(c=None):
    """The blocks of the Chinese pages (zh/book/): the English ones, with every table and phrase in Chinese,
    its notebooks' Colab links and its student edition."""
    c = course() if c is None else c
    run, seconds, notebooks = c.run, c.seconds, c.notebooks
    zh = translate.chapter_translation()
    titles = {stem: read_notebook(stem, translate.OUT).short_title for stem in c.stems}

    def link(stem):
        return f"[{titles[stem]}](../notebooks/{stem}.ipynb)"

    def needs(stem):
        need = c.data["chapters"][stem]["needs"]
        return zh[("chapters", stem, "needs")] if isinstance(need, str) else "、".join(titles[n] for n in need)

    cores, machine = run["machine"]["cores"], run["machine"]["cpu"]
    total = zh_about_minutes(sum(seconds.values()))
    instructors = [
        f"下表的运行时间是整个笔记本在 nbval 下的用时，测于课程测试所用的 {cores} 核机器（{machine}{zh_gpus(run)}，"
        f"TensorFlow {run['versions']['tensorflow']}，{run['date']} 的测试运行）；笔记本电脑或 Colab 运行时上的用时会"
        "有所不同。", "",
        "| 章 | 学生将学会 | 先修 | 运行时间 | 练习（其中带检查单元格的） |", "| --- | --- | --- | --- | --- |",
        *[f"| {link(stem)} | {zh[('chapters', stem, 'learn')]} | {needs(stem)} | "
          f"{about_seconds(seconds[stem], chinese=True)} | {nb.exercises}（{nb.check_cells}） |"
          for stem, nb in notebooks.items()],
        "", f"在这台机器上，所有各章合计运行{total}（`make test` 会把每一章都重新执行一遍）。",
    ]
    sections = [
        f"原书这一章共{zh_number(c.sections, counting=False)}节，下表列出课程在哪里讲到每一节；课程的顺序与原书一致。",
        "", "| 原书的小节 | 本课程中 |", "| --- | --- |",
        *[f"| {zh[place]} | {link(target) if isinstance(target, str) else zh[target]} |"
          for _, place, target in c.rows],
    ]
    tests = run["tests"]
    skipped = f"，其中 {tests['skipped']} 个跳过" if tests.get("skipped") else ""
    versions = run["versions"]
    record = [
        "| 项目 | 记录 |", "| --- | --- |",
        f"| 运行 | {run['date']}{'（' + run['note'] + '）' if run.get('note') else ''} |",
        f"| 机器 | {machine}，{cores} 核{zh_gpus(run)} |",
        f"| 版本 | Python {versions['python']}，TensorFlow {versions['tensorflow']}，Keras {versions['keras']} |",
        f"| `make test` | {tests['collected']} 个测试，{tests['passed']} 个通过{skipped}，用时 "
        f"{zh_duration(run['pytest_seconds'])} |",
    ]
    if run.get("ci_run"):
        record.append(f"| `bash .ci/run` | {zh_duration(run['ci_run']['seconds'])}（测量方式，照录英文记录："
                      f"{run['ci_run']['how']}） |")
    record += [f"| {link(stem)}，在 nbval 下 | {seconds[stem]:.0f} 秒 |" for stem in c.stems]

    low, cells, asserting = c.least_exercises, c.solution_cells, c.solution_asserts
    checked = (f"全部 {cells} 个参考答案代码单元格都会自行检验" if asserting == cells
               else f"{cells} 个参考答案代码单元格中，除一个以外都会自行检验" if asserting == cells - 1
               else f"{cells} 个参考答案代码单元格中，有 {asserting} 个会自行检验")
    clone = clone_lines("建立 .venv，把中英两版的书构建到 _build/html", "建立 .venv，运行全部测试")
    return {
        "colab-form": colab_form("zh/"),
        "student-zip-url": f"<{config.PAGES_URL}{config.NAME}-student-zh.zip>",
        "intro-clone": f"\n{clone}\n",
        "intro-sections": "\n" + "\n".join(sections) + "\n",
        "instructors-chapters": "\n" + "\n".join(instructors) + "\n",
        "least-exercises": f"至少{zh_number(low)}道练习",
        "solution-cells": checked,
        "test-run-record": "\n" + "\n".join(record) + "\n",
    }


def stale_pages(facts=None):
    """The pages whose generated blocks differ from what the sources give: {page: new text}."""
    c = course()
    facts = blocks(c) if facts is None else facts
    chinese = {**facts, **chinese_blocks(c)}
    stale = {}
    for page in PAGES:
        text = (REPO / page).read_text(encoding="utf-8")
        new = render(text, chinese if page.startswith("zh/") else facts, page)
        if new != text:
            stale[page] = new
    return stale


def record(path, ci_seconds=None, ci_how=None, first=False):
    """Check a run written by course_tools/pytest_plugin.py and keep it as results/test_run.json.

    With `first`, a run whose only failures are in tests/test_facts.py is kept too: after a chapter is
    added, that test cannot pass before a run of the new chapter is recorded. Such a record only lets the
    pages be regenerated; record a complete, passing run right after it."""
    run = json.loads(Path(path).read_text(encoding="utf-8"))
    tests = run["tests"]
    problems = []
    outside_facts = [test for test in tests.get("failing", []) if not test.startswith("tests/test_facts.py")]
    if (tests["failed"] or tests["errors"]) and not (first and "failing" in tests and not outside_facts):
        problems.append(f"{tests['failed']} failed and {tests['errors']} errors")
    if tests.get("deselected"):
        problems.append(f"{tests['deselected']} tests deselected")
    stems = set(notebook_stems())
    if set(run["notebook_seconds"]) != stems or set(run.get("cell_seconds", {})) != stems:
        problems.append(f"notebooks run: {sorted(run['notebook_seconds'])}, in _toc.yml: {sorted(notebook_stems())}")
    test_files = {str(file.relative_to(REPO)) for file in (REPO / "tests").glob("test_*.py")}
    if not test_files <= set(run.get("test_file_seconds", {})):
        problems.append(f"test files not run: {sorted(test_files - set(run.get('test_file_seconds', {})))}")
    if problems:
        raise SystemExit(f"{path} is not a complete, passing run of `make test`: {'; '.join(problems)}")
    if tests["failed"] or tests["errors"]:
        run["first"] = True  # kept with --first: record a complete, passing run next
    if ci_seconds is not None:
        if not ci_how:
            raise SystemExit("--ci-run-seconds needs --ci-run-how: how the time of `bash .ci/run` was measured")
        run["ci_run"] = {"seconds": ci_seconds, "how": ci_how, "entered": "by hand, with --ci-run-seconds"}
    TEST_RUN.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TEST_RUN}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated block is stale")
    parser.add_argument("--record", metavar="TEST_RUN_JSON",
                        help="keep this run of `make test` as results/test_run.json")
    parser.add_argument("--ci-run-seconds", type=float, help="with --record: the measured time of `bash .ci/run`")
    parser.add_argument("--ci-run-how", help="with --ci-run-seconds: how it was measured")
    parser.add_argument("--first", action="store_true",
                        help="with --record: accept failures in tests/test_facts.py alone (a new chapter's first run)")
    args = parser.parse_args(argv)
    if args.record:
        if args.check:
            parser.error("--check and --record exclude each other")
        record(args.record, args.ci_run_seconds, args.ci_run_how, args.first)
    stale = stale_pages()
    if args.check:
        for page in stale:
            print(f"{page}: generated blocks are stale; run .venv/bin/python course_tools/course_facts.py")
        return 1 if stale else 0
    for page, text in stale.items():
        (REPO / page).write_text(text, encoding="utf-8")
        print(f"rewrote {page}")
    if not stale:
        print("every generated block is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
