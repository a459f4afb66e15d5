"""The MNIST chapter's data and model (notebooks/keras_rnn_mnist.ipynb).

The notebook gets a copy of this code through its shared cells; the seed
sweep (experiments/seed_sweep.py), the benchmark (experiments/benchmark.py)
and the loader's tests (tests/test_mnist.py) import it from here, so
all of them run the same loader and the same model.
"""

import gzip
import hashlib
import zlib
from pathlib import Path

import keras
import numpy as np

# The data: MNIST as TensorFlow 1's read_data_sets(one_hot=True) gave it.
MNIST_DIR = "data/mnist"
VALIDATION_SIZE = 5000
MNIST_IDX_SHA256 = {  # of the four original (decompressed) IDX files
    "train-images-idx3-ubyte":
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte":
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte":
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte":
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# The chapter's model and training (the book's settings).
SEED = 123
STEPS = 28
FEATURES = 28
UNITS = 16
CLASSES = 10
BATCH_SIZE = 100
EPOCHS = 20
LEARNING_RATE = 0.01
STEPS_PER_EPOCH = 550


class MNISTDataError(RuntimeError):
    """MNIST could not be loaded; the message says what is wrong and how
    to fix it."""

    def _render_traceback_(self):
        """Jupyter and Colab show this message alone, not a traceback."""
        return [f"{type(self).__name__}: {self}"]


def idx_bytes(array):
    """A uint8 array in IDX format: magic number, dimensions, values."""
    dims = b"".join(d.to_bytes(4, "big") for d in array.shape)
    return bytes([0, 0, 0x08, array.ndim]) + dims + array.tobytes()


def parse_idx(raw):
    """The uint8 array of an IDX file's content (the inverse of
    idx_bytes)."""
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big")
                  for i in range(ndim))
    offset = 4 + 4 * ndim
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(shape)


def read_local_idx(path):
    """Read one gzip-compressed IDX file, after checking its content."""
    path = Path(path)
    fix = ("Restore it from the course repository (git checkout -- "
           f"notebooks/data/mnist/{path.name}), or delete the folder "
           f"{path.parent} to let Keras download MNIST instead.")
    if not path.is_file():
        raise MNISTDataError(f"MNIST file {path} is missing. {fix}")
    try:
        raw = gzip.decompress(path.read_bytes())
    except EOFError:
        raise MNISTDataError(
            f"MNIST file {path} is truncated: its data end too early. "
            + fix) from None
    except (OSError, zlib.error) as err:
        raise MNISTDataError(
            f"MNIST file {path} is corrupted ({err}). {fix}") from None
    expected = MNIST_IDX_SHA256[path.name.removesuffix(".gz")]
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected:
        raise MNISTDataError(
            f"MNIST file {path} is corrupted: the SHA-256 of its content "
            f"is {digest}, not {expected}. {fix}")
    return parse_idx(raw)


def download_idx():
    """Get MNIST through Keras, as in Colab; check it the same way."""
    try:
        (x_train, y_train), (x_test, y_test) = (
            keras.datasets.mnist.load_data())
    except Exception as err:
        raise MNISTDataError(
            f"MNIST is not next to this notebook (no folder {MNIST_DIR}) "
            f"and Keras could not download it ({type(err).__name__}: "
            f"{err}). Connect to the internet and run this cell again, "
            "or copy the folder notebooks/data/mnist of the course "
            "repository next to this notebook.") from None
    arrays = (x_train, y_train, x_test, y_test)
    for (name, expected), array in zip(MNIST_IDX_SHA256.items(), arrays):
        if hashlib.sha256(idx_bytes(array)).hexdigest() != expected:
            raise MNISTDataError(
                f"Keras returned a {name} that differs from the original "
                "MNIST file. Delete ~/.keras/datasets/mnist.npz and run "
                "this cell again.")
    return dict(zip(MNIST_IDX_SHA256, arrays))


def load_mnist(data_dir=MNIST_DIR):
    """MNIST as TensorFlow 1's read_data_sets(one_hot=True) gave it: the
    first 5,000 training images for validation, pixels scaled to [0, 1],
    one-hot labels. From data_dir if it exists, else through Keras."""
    data_dir = Path(data_dir)
    if data_dir.exists():
        arrays = {name: read_local_idx(data_dir / f"{name}.gz")
                  for name in MNIST_IDX_SHA256}
        source = f"the checked local copy in {data_dir}"
    else:
        arrays = download_idx()
        source = "keras.datasets.mnist (checked)"

    def images(name):
        return arrays[name].astype(np.float32) * (1.0 / 255.0)

    def one_hot(name):
        return np.eye(10, dtype=np.float32)[arrays[name]]

    x = images("train-images-idx3-ubyte")
    y = one_hot("train-labels-idx1-ubyte")
    v = VALIDATION_SIZE
    return {
        "source": source,
        "train": (x[v:], y[v:]),
        "validation": (x[:v], y[:v]),
        "test": (images("t10k-images-idx3-ubyte"),
                 one_hot("t10k-labels-idx1-ubyte")),
    }


def build_chapter_model(fast=False):
    """The chapter's SimpleRNN, compiled as the book compiles it.

    The layers carry the names of the book's summary. fast=True: the same
    model, trained with the same 11,000 updates, about 3x quicker on a CPU
    (see "Fast on a CPU"): the 28 time steps as a static graph instead of
    a loop (unroll), and one call into TensorFlow per epoch, of
    STEPS_PER_EPOCH = 55,000 / BATCH_SIZE updates, instead of one per
    batch (steps_per_execution).
    """
    model = keras.Sequential([
        keras.Input(shape=(STEPS, FEATURES)),
        keras.layers.SimpleRNN(units=UNITS, activation="relu",
                               unroll=fast, name="simple_rnn_1"),
        keras.layers.Dense(CLASSES, name="dense_1"),
        keras.layers.Activation("softmax", name="activation_1"),
    ], name="sequential_1")
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.RMSprop(learning_rate=LEARNING_RATE),
        metrics=["accuracy"],
        steps_per_execution=STEPS_PER_EPOCH if fast else 1)
    return model


def training_flops():
    """Arithmetic of the chapter's training, in operations (a multiply-add
    counts 2): (per update, for all EPOCHS * STEPS_PER_EPOCH updates).

    The matrix products only; the backward pass counted as twice the
    forward pass."""
    per_step = 2 * BATCH_SIZE * (FEATURES * UNITS + UNITS * UNITS)
    forward = STEPS * per_step + 2 * BATCH_SIZE * UNITS * CLASSES
    return 3 * forward, 3 * forward * STEPS_PER_EPOCH * EPOCHS


def train_chapter_model(model, data, verbose=2, callbacks=(),
                        epochs=EPOCHS):
    """The chapter's training: EPOCHS epochs (or `epochs`, for a short
    run) of batches of BATCH_SIZE, validated on data["validation"] after
    each epoch."""
    x, y = data["train"]
    return model.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs,
                     validation_data=data["validation"], verbose=verbose,
                     callbacks=list(callbacks))
