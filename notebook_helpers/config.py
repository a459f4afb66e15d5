"""Where the course is published, read from `_config.yml`.

`_config.yml` is the one place the repository address is written by hand.
"""


import yaml
from course_tools import REPO


def _repository():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    prefix = "https://github.com/"
    if not url.startswith(prefix) or url.count("/") != 4:
        raise ValueError(f"_config.yml: repository.url must be "
                         f"{prefix}OWNER/NAME, not {url!r}")
    return url, config["repository"]["branch"]


REPOSITORY_URL, BRANCH = _repository()
OWNER, NAME = REPOSITORY_URL.removeprefix("https://github.com/").split("/")
# A notebook's Colab link is COLAB_URL + its path in the repository.
COLAB_URL = ("https://colab.research.google.com/github/"
             f"{OWNER}/{NAME}/blob/{BRANCH}/")
# The repository's files, as a notebook alone in Colab downloads them.
RAW_URL = f"https://raw.githubusercontent.com/{OWNER}/{NAME}/{BRANCH}/"
PAGES_URL = f"https://{OWNER}.github.io/{NAME}/"
