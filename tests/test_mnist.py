"""The MNIST chapter's data loader (notebook_helpers/mnist.py, copied into the notebook by its shared cell)."""

import gzip
import hashlib
import shutil

import keras
import numpy as np
import pytest
from conftest import REPO

from notebook_helpers.mnist import (
    MNIST_DIR,
    MNIST_IDX_SHA256,
    MNISTDataError,
    idx_bytes,
    load_mnist,
    parse_idx,
    read_local_idx,
)

DATA = REPO / "notebooks" / MNIST_DIR
# Label counts of the MNIST database, digits 0-9 (notebooks/data/mnist/README.md).
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def local():
    return load_mnist(DATA)


@pytest.fixture
def no_download(monkeypatch):
    """Fail the test if the loader tries to download MNIST."""
    def download():
        raise AssertionError("the loader tried to download MNIST although a local copy is present")
    monkeypatch.setattr(keras.datasets.mnist, "load_data", download)


@pytest.fixture
def copy(tmp_path):
    """A private copy of the course's MNIST folder, to break."""
    target = tmp_path / "mnist"
    shutil.copytree(DATA, target)
    return target


def raw_arrays():
    """The four arrays as keras.datasets.mnist.load_data() returns them, read from the local copy."""
    arrays = [read_local_idx(DATA / f"{name}.gz") for name in MNIST_IDX_SHA256]
    return (arrays[0], arrays[1]), (arrays[2], arrays[3])


def test_idx_bytes_and_parse_idx_are_inverses():
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    raw = idx_bytes(array)
    assert raw[:4] == bytes([0, 0, 0x08, 3]) and len(raw) == 4 + 3 * 4 + 24
    assert np.array_equal(parse_idx(raw), array)


def test_local_copy_gives_the_tensorflow_1_split(local):
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = local["train"], local["validation"], local["test"]
    assert x_train.shape == (55000, 28, 28) and y_train.shape == (55000, 10)
    assert x_val.shape == (5000, 28, 28) and y_val.shape == (5000, 10)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000, 10)
    assert {a.dtype for a in (x_train, y_train, x_val, y_val, x_test, y_test)} == {np.dtype(np.float32)}
    # One-hot labels, with the database's label counts; validation is the first 5,000 training images.
    for y in (y_train, y_val, y_test):
        assert set(np.unique(y)) == {0.0, 1.0} and np.all(y.sum(axis=1) == 1)
    all_train_labels = np.concatenate([y_val, y_train]).argmax(axis=1)
    assert np.bincount(all_train_labels).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test.argmax(axis=1)).tolist() == TEST_COUNTS
    # Pixels scaled as read_data_sets did it: uint8 times 1/255 in float32.
    (raw_train, _), _ = raw_arrays()
    expected = raw_train.astype(np.float32) * (1.0 / 255.0)
    assert np.array_equal(x_val, expected[:5000]) and np.array_equal(x_train, expected[5000:])
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert raw_train.mean() == pytest.approx(33.318, abs=5e-4)


def test_missing_file_is_named_and_nothing_is_downloaded(copy, no_download):
    (copy / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(MNISTDataError) as err:
        load_mnist(copy)
    message = str(err.value)
    assert "t10k-labels-idx1-ubyte.gz" in message and "missing" in message
    assert "git checkout" in message, "says how to restore the file"


def test_empty_folder_reports_a_missing_file(tmp_path, no_download):
    (tmp_path / "mnist").mkdir()
    with pytest.raises(MNISTDataError) as err:
        load_mnist(tmp_path / "mnist")
    assert "train-images-idx3-ubyte.gz" in str(err.value) and "missing" in str(err.value)


def test_truncated_file_is_named(copy, no_download):
    path = copy / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(MNISTDataError) as err:
        load_mnist(copy)
    message = str(err.value)
    assert str(path) in message and "truncated" in message
    assert str(copy) in message, "names the folder to delete for a download instead"


def test_damaged_compressed_data_is_reported_as_corrupted(copy, no_download):
    path = copy / "train-labels-idx1-ubyte.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(MNISTDataError) as err:
        load_mnist(copy)
    assert "train-labels-idx1-ubyte.gz" in str(err.value) and "corrupted" in str(err.value)


def test_checksum_mismatch_is_reported_with_both_digests(copy, no_download):
    path = copy / "t10k-labels-idx1-ubyte.gz"
    labels = bytearray(gzip.decompress(path.read_bytes()))
    labels[-1] = (labels[-1] + 1) % 10  # a well-formed file whose last label is wrong
    path.write_bytes(gzip.compress(bytes(labels)))
    with pytest.raises(MNISTDataError) as err:
        load_mnist(copy)
    message = str(err.value)
    assert "t10k-labels-idx1-ubyte.gz" in message and "corrupted" in message
    assert hashlib.sha256(bytes(labels)).hexdigest() in message, "the digest found"
    assert MNIST_IDX_SHA256["t10k-labels-idx1-ubyte"] in message, "the digest expected"


def test_keras_route_gives_the_same_data(local, tmp_path, monkeypatch):
    monkeypatch.setattr(keras.datasets.mnist, "load_data", raw_arrays)
    downloaded = load_mnist(tmp_path / "absent")
    assert downloaded["source"] == "keras.datasets.mnist (checked)"
    for split in ("train", "validation", "test"):
        for ours, theirs in zip(downloaded[split], local[split]):
            assert np.array_equal(ours, theirs)


def test_keras_route_rejects_data_that_differ(tmp_path, monkeypatch):
    (x_train, y_train), (x_test, y_test) = raw_arrays()
    x_test = x_test.copy()
    x_test[0, 0, 0] = 255
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: ((x_train, y_train), (x_test, y_test)))
    with pytest.raises(MNISTDataError) as err:
        load_mnist(tmp_path / "absent")
    assert "t10k-images-idx3-ubyte" in str(err.value) and "differs" in str(err.value)


def test_keras_route_without_network_says_what_it_needs(tmp_path, monkeypatch):
    def offline():
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None -- [Errno -3]")
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(MNISTDataError) as err:
        load_mnist(tmp_path / "absent")
    message = str(err.value)
    assert "URL fetch failure" in message, "Keras's own reason"
    assert "internet" in message and "notebooks/data/mnist" in message, "the two ways to fix it"


def test_the_error_shows_its_message_alone_in_jupyter():
    error = MNISTDataError("MNIST file x is missing.")
    assert error._render_traceback_() == ["MNISTDataError: MNIST file x is missing."]


def read_sums(name):
    return {file: digest for digest, file in (line.split() for line in (DATA / name).read_text().splitlines())}


def test_shipped_files_match_their_checksums():
    gz_sums, raw_sums = read_sums("SHA256SUMS"), read_sums("SHA256SUMS.raw")
    assert len(gz_sums) == len(raw_sums) == 4
    for file, digest in gz_sums.items():
        content = (DATA / file).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, file
        assert hashlib.sha256(gzip.decompress(content)).hexdigest() == raw_sums[file.removesuffix(".gz")], file
    assert MNIST_IDX_SHA256 == raw_sums, "the loader's checksums must be those of SHA256SUMS.raw"
