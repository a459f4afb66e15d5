"""The applications chapter's data files and its loader (the notebook's own `data-loader` cell)."""

import hashlib
import shutil

import pytest
from conftest import REPO
from notebook_code import load_tagged

NOTEBOOK = REPO / "notebooks" / "applications.ipynb"
DATA = REPO / "notebooks" / "data"
FOLDERS = ["co2", "tinyshakespeare", "sentiment"]


@pytest.fixture(scope="module")
def nb():
    return load_tagged(NOTEBOOK, "setup", "data-loader")


@pytest.fixture
def copy(tmp_path):
    """A private copy of the course's data folders, to break."""
    for folder in FOLDERS:
        shutil.copytree(DATA / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def no_download(nb, monkeypatch):
    def download(*args, **kwargs):
        raise AssertionError("the loader tried to download a file although a local copy is present")
    monkeypatch.setattr(nb["keras"].utils, "get_file", download)


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_states_source_license_and_checksums(nb, folder):
    readme = (DATA / folder / "README.md").read_text(encoding="utf-8")
    assert "Source" in readme and ("License" in readme or "Terms" in readme)
    sums = [line.split() for line in (DATA / folder / "SHA256SUMS").read_text().splitlines() if line]
    assert sums
    for digest, name in sums:
        assert hashlib.sha256((DATA / folder / name).read_bytes()).hexdigest() == digest, name
        assert nb["DATA_SHA256"][f"{folder}/{name}"] == digest, "the notebook checks the same digest"


def test_shipped_files_load(nb, no_download):
    for name in nb["DATA_SHA256"]:
        assert nb["course_file"](name, DATA) == DATA / name


@pytest.mark.parametrize("name", ["co2/co2_mm_mlo.csv", "sentiment/amazon_cells_labelled.txt"])
def test_missing_file_is_named_with_the_fix(nb, copy, no_download, name):
    (copy / name).unlink()
    with pytest.raises(nb["CourseDataError"]) as err:
        nb["course_file"](name, copy)
    assert f"{copy / name} is missing" in str(err.value)
    assert f"git checkout -- notebooks/data/{name}" in str(err.value)


def test_corrupted_file_is_named_with_both_digests(nb, copy, no_download):
    name = "tinyshakespeare/input_first48k.txt"
    data = bytearray((copy / name).read_bytes())
    data[1000] ^= 0x20
    (copy / name).write_bytes(bytes(data))
    with pytest.raises(nb["CourseDataError"]) as err:
        nb["course_file"](name, copy)
    assert f"{copy / name} is corrupted" in str(err.value)
    assert nb["DATA_SHA256"][name] in str(err.value)


def test_alone_and_offline_it_says_what_it_needs(nb, tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -3] Temporary failure in name resolution")
    monkeypatch.setattr(nb["keras"].utils, "get_file", offline)
    with pytest.raises(nb["CourseDataError"]) as err:
        nb["course_file"]("co2/co2_mm_mlo.csv", tmp_path / "absent")
    message = str(err.value)
    assert "could not be downloaded" in message and "URL fetch failure" in message
    assert "Connect to the internet" in message and "notebooks/data" in message
