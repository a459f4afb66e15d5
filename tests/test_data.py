"""The course's data files and their loader, notebook_helpers/data.py (the applications chapter's shared cell)."""

import hashlib
import shutil

import keras
import pytest
from conftest import REPO

from notebook_helpers import config
from notebook_helpers.data import DATA_SHA256, DATA_URL, CourseDataError, course_file

DATA = REPO / "notebooks" / "data"
FOLDERS = ["co2", "tinyshakespeare", "sentiment"]


@pytest.fixture
def copy(tmp_path):
    """A private copy of the course's data folders, to break."""
    for folder in FOLDERS:
        shutil.copytree(DATA / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def no_download(monkeypatch):
    def download(*args, **kwargs):
        raise AssertionError("the loader tried to download a file although a local copy is present")
    monkeypatch.setattr(keras.utils, "get_file", download)


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_states_source_license_and_checksums(folder):
    readme = (DATA / folder / "README.md").read_text(encoding="utf-8")
    assert "Source" in readme and ("License" in readme or "Terms" in readme)
    sums = [line.split() for line in (DATA / folder / "SHA256SUMS").read_text().splitlines() if line]
    assert sums
    for digest, name in sums:
        assert hashlib.sha256((DATA / folder / name).read_bytes()).hexdigest() == digest, name
        assert DATA_SHA256[f"{folder}/{name}"] == digest, "the loader checks the same digest"


def test_downloads_come_from_the_repository_of_config_yml():
    assert DATA_URL == f"{config.RAW_URL}notebooks/data"


def test_shipped_files_load(no_download):
    for name in DATA_SHA256:
        assert course_file(name, DATA) == DATA / name


@pytest.mark.parametrize("name", ["co2/co2_mm_mlo.csv", "sentiment/amazon_cells_labelled.txt"])
def test_missing_file_is_named_with_the_fix(copy, no_download, name):
    (copy / name).unlink()
    with pytest.raises(CourseDataError) as err:
        course_file(name, copy)
    assert str(copy / name) in str(err.value) and "missing" in str(err.value)
    assert f"notebooks/data/{name}" in str(err.value), "the path to restore"


def test_corrupted_file_is_named_with_both_digests(copy, no_download):
    name = "tinyshakespeare/input_first48k.txt"
    data = bytearray((copy / name).read_bytes())
    data[1000] ^= 0x20
    (copy / name).write_bytes(bytes(data))
    with pytest.raises(CourseDataError) as err:
        course_file(name, copy)
    assert str(copy / name) in str(err.value)
    assert DATA_SHA256[name] in str(err.value)
    assert hashlib.sha256(bytes(data)).hexdigest() in str(err.value)


def test_alone_it_downloads_from_the_repository_and_checks(tmp_path, monkeypatch):
    name = "co2/co2_mm_mlo.csv"
    requested = []

    def download(fname, origin, cache_subdir):
        requested.append(origin)
        target = tmp_path / "cache" / fname
        target.parent.mkdir(exist_ok=True)
        shutil.copy(DATA / name, target)
        return str(target)

    monkeypatch.setattr(keras.utils, "get_file", download)
    path = course_file(name, tmp_path / "absent")
    assert requested == [f"{DATA_URL}/{name}"]
    assert path.read_bytes() == (DATA / name).read_bytes()


def test_a_corrupted_download_is_deleted(tmp_path, monkeypatch):
    target = tmp_path / "download"

    def download(*args, **kwargs):
        target.write_text("not the data")
        return str(target)

    monkeypatch.setattr(keras.utils, "get_file", download)
    with pytest.raises(CourseDataError) as err:
        course_file("co2/co2_mm_mlo.csv", tmp_path / "absent")
    assert DATA_SHA256["co2/co2_mm_mlo.csv"] in str(err.value)
    assert not target.exists()


def test_alone_and_offline_it_says_what_it_needs(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -3] Temporary failure in name resolution")
    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(CourseDataError) as err:
        course_file("co2/co2_mm_mlo.csv", tmp_path / "absent")
    assert "URL fetch failure" in str(err.value), "the cause"
    assert "notebooks/data" in str(err.value), "where the files are"


def test_the_error_shows_as_one_line_in_jupyter():
    error = CourseDataError("what is wrong and the fix")
    assert error._render_traceback_() == ["CourseDataError: what is wrong and the fix"]
