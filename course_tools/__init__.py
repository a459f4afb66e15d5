"""The course's repository tooling: the generators that write cells and editions, the PDF, the test plugin.

The repository's folders are named here, once; every tool and test takes them from here.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
HELPERS = REPO / "notebook_helpers"
EXPERIMENTS = REPO / "experiments"
I18N = REPO / "i18n" / "zh_CN"
ZH = REPO / "zh"
BUILD = REPO / "_build"
