"""The MNIST notebook's data loader, tested on the code the notebook itself runs (its `mnist-loader` cell)."""

import gzip
import hashlib
import shutil

import numpy as np
import pytest
from conftest import REPO
from notebook_code import load_tagged

NOTEBOOK = REPO / "notebooks" / "keras_rnn_mnist.ipynb"
DATA = REPO / "notebooks" / "data" / "mnist"
# Label counts of the MNIST database, digits 0-9 (notebooks/data/mnist/README.md).
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def nb():
    return load_tagged(NOTEBOOK, "setup", "mnist-loader")


@pytest.fixture(scope="module")
def local(nb):
    return nb["load_mnist"](DATA)


@pytest.fixture
def no_download(nb, monkeypatch):
    """Fail the test if the loader tries to download MNIST."""
    def download():
        raise AssertionError("the loader tried to download MNIST although a local copy is present")
    monkeypatch.setattr(nb["keras"].datasets.mnist, "load_data", download)


@pytest.fixture
def copy(tmp_path):
    """A private copy of the course's MNIST folder, to break."""
    target = tmp_path / "mnist"
    shutil.copytree(DATA, target)
    return target


def raw_arrays(nb):
    """The four arrays as keras.datasets.mnist.load_data() returns them, read from the local copy."""
    arrays = [nb["read_local_idx"](DATA / f"{name}.gz") for name in nb["MNIST_IDX_SHA256"]]
    return (arrays[0], arrays[1]), (arrays[2], arrays[3])


def test_local_copy_gives_the_tensorflow_1_split(nb, local):
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
    (raw_train, _), _ = raw_arrays(nb)
    expected = raw_train.astype(np.float32) * (1.0 / 255.0)
    assert np.array_equal(x_val, expected[:5000]) and np.array_equal(x_train, expected[5000:])
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert raw_train.mean() == pytest.approx(33.318, abs=5e-4)


def test_missing_file_is_named_and_nothing_is_downloaded(nb, copy, no_download):
    (copy / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(nb["MNISTDataError"]) as err:
        nb["load_mnist"](copy)
    message = str(err.value)
    assert "t10k-labels-idx1-ubyte.gz is missing" in message
    assert "git checkout -- notebooks/data/mnist/t10k-labels-idx1-ubyte.gz" in message


def test_empty_folder_reports_a_missing_file(nb, tmp_path, no_download):
    (tmp_path / "mnist").mkdir()
    with pytest.raises(nb["MNISTDataError"], match="train-images-idx3-ubyte.gz is missing"):
        nb["load_mnist"](tmp_path / "mnist")


def test_truncated_file_is_named(nb, copy, no_download):
    path = copy / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(nb["MNISTDataError"]) as err:
        nb["load_mnist"](copy)
    assert f"{path} is truncated" in str(err.value)
    assert "delete the folder" in str(err.value)


def test_damaged_compressed_data_is_reported_as_corrupted(nb, copy, no_download):
    path = copy / "train-labels-idx1-ubyte.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(nb["MNISTDataError"], match="train-labels-idx1-ubyte.gz is corrupted"):
        nb["load_mnist"](copy)


def test_checksum_mismatch_is_reported_with_both_digests(nb, copy, no_download):
    path = copy / "t10k-labels-idx1-ubyte.gz"
    labels = bytearray(gzip.decompress(path.read_bytes()))
    labels[-1] = (labels[-1] + 1) % 10  # a well-formed file whose last label is wrong
    path.write_bytes(gzip.compress(bytes(labels)))
    with pytest.raises(nb["MNISTDataError"]) as err:
        nb["load_mnist"](copy)
    message = str(err.value)
    assert "t10k-labels-idx1-ubyte.gz is corrupted: the SHA-256 of its content is" in message
    assert nb["MNIST_IDX_SHA256"]["t10k-labels-idx1-ubyte"] in message


def test_keras_route_gives_the_same_data(nb, local, tmp_path, monkeypatch):
    monkeypatch.setattr(nb["keras"].datasets.mnist, "load_data", lambda: raw_arrays(nb))
    downloaded = nb["load_mnist"](tmp_path / "absent")
    assert downloaded["source"] == "keras.datasets.mnist (checked)"
    for split in ("train", "validation", "test"):
        for ours, theirs in zip(downloaded[split], local[split]):
            assert np.array_equal(ours, theirs)


def test_keras_route_rejects_data_that_differ(nb, tmp_path, monkeypatch):
    (x_train, y_train), (x_test, y_test) = raw_arrays(nb)
    x_test = x_test.copy()
    x_test[0, 0, 0] = 255
    monkeypatch.setattr(nb["keras"].datasets.mnist, "load_data", lambda: ((x_train, y_train), (x_test, y_test)))
    with pytest.raises(nb["MNISTDataError"], match="t10k-images-idx3-ubyte that differs"):
        nb["load_mnist"](tmp_path / "absent")


def test_keras_route_without_network_says_what_it_needs(nb, tmp_path, monkeypatch):
    def offline():
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None -- [Errno -3]")
    monkeypatch.setattr(nb["keras"].datasets.mnist, "load_data", offline)
    with pytest.raises(nb["MNISTDataError"]) as err:
        nb["load_mnist"](tmp_path / "absent")
    message = str(err.value)
    assert "Keras could not download it" in message and "URL fetch failure" in message
    assert "Connect to the internet" in message and "notebooks/data/mnist" in message


def read_sums(name):
    return {file: digest for digest, file in (line.split() for line in (DATA / name).read_text().splitlines())}


def test_shipped_files_match_their_checksums(nb):
    gz_sums, raw_sums = read_sums("SHA256SUMS"), read_sums("SHA256SUMS.raw")
    assert len(gz_sums) == len(raw_sums) == 4
    for file, digest in gz_sums.items():
        content = (DATA / file).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, file
        assert hashlib.sha256(gzip.decompress(content)).hexdigest() == raw_sums[file.removesuffix(".gz")], file
    assert nb["MNIST_IDX_SHA256"] == raw_sums, "the notebook's checksums must be those of SHA256SUMS.raw"
