"""Unit tests of the shared code in notebook_helpers/, against Keras where Keras defines the same thing."""

import keras
import matplotlib
import numpy as np
import pytest

from notebook_helpers import config, diagrams, environment, exercises, machine, numeric, tasks

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


def test_activations_match_keras():
    z = np.linspace(-30, 30, 60).reshape(3, 20).astype(np.float32)
    assert np.allclose(numeric.sigmoid(z), keras.ops.sigmoid(z), atol=1e-6)
    assert np.allclose(numeric.relu(z), keras.ops.relu(z))
    assert np.allclose(numeric.softmax(z), keras.ops.softmax(z, axis=-1), atol=1e-6)
    assert np.all(np.isfinite(numeric.softmax(np.array([[1000.0, 0.0]])))), "no overflow"


def test_max_diff_of_arrays_and_lists():
    assert numeric.max_diff(np.zeros(3), np.array([0.0, -2.0, 1.0])) == 2.0
    assert numeric.max_diff([np.zeros(2), np.ones(2)], [np.zeros(2), np.full(2, 4.0)]) == 3.0
    with pytest.raises(ValueError):
        numeric.max_diff([np.zeros(2)], [np.zeros(2), np.zeros(2)])


@pytest.mark.parametrize(("features", "units"), [(1, 1), (28, 10), (7, 32)])
def test_parameter_counts_match_keras(features, units):
    def count(layer):
        return keras.Sequential([keras.Input(shape=(5, features)), layer]).count_params()

    assert numeric.simple_rnn_params(features, units) == count(keras.layers.SimpleRNN(units))
    assert numeric.lstm_params(features, units) == count(keras.layers.LSTM(units))
    assert numeric.gru_params(features, units) == count(keras.layers.GRU(units))
    assert numeric.gru_params(features, units, reset_after=False) == \
        count(keras.layers.GRU(units, reset_after=False))


def test_first_symbol_task():
    x, y = tasks.first_symbol_task(8, steps=5, symbols=3, seed=1)
    assert x.shape == (8, 5, 3) and x.dtype == np.float32 and y.shape == (8,)
    assert np.all(x.sum(axis=-1) == 1.0) and np.all(x[:, 0].argmax(axis=-1) == y)
    again, _ = tasks.first_symbol_task(8, steps=5, symbols=3, seed=1)
    assert np.array_equal(x, again)


def test_diagram_helpers_draw_on_an_equal_canvas():
    fig, ax = plt.subplots()
    diagrams.canvas(ax, (0, 4), (0, 2), title="t")
    diagrams.box(ax, 1, 1, "layer")
    diagrams.node(ax, 3, 1, "x")
    diagrams.arrow(ax, (1.5, 1), (2.7, 1), label="W")
    diagrams.arrow(ax, (1, 0.2), (3, 0.2), (3, 0.7))
    assert ax.get_aspect() == 1.0 and not ax.axison
    assert len(ax.patches) == 2 and {t.get_text() for t in ax.texts} >= {"layer", "x", "W"}
    with pytest.raises(ValueError):
        diagrams.arrow(ax, (0, 0))
    plt.close(fig)


def test_runtime_report(capsys):
    environment.print_runtime()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Python 3.") and keras.__version__ in out[0]
    assert out[1].startswith(f"CPU: {machine.cpu_name()} (")


def test_config_reads_the_repository_from_config_yml():
    assert config.REPOSITORY_URL == f"https://github.com/{config.OWNER}/{config.NAME}"
    assert config.COLAB_URL.endswith(f"/{config.OWNER}/{config.NAME}/blob/{config.BRANCH}/")
    assert config.RAW_URL.endswith(f"/{config.OWNER}/{config.NAME}/{config.BRANCH}/")


@pytest.mark.parametrize("answer, expected, right, message", [
    (None, 890, False, "not answered yet: set the answer variable above"),
    (890, 890, True, "right"),
    (889, 890, False, "not yet right"),
    ([640, 1056, 36], [640, 1056, 400], False, "not yet right: 2 of 3 values right"),
    ([640, 1056], [640, 1056, 400], False, "not yet right: 2 value(s) given, 3 expected"),
    (0.50004, 0.5, True, "right"),
    (" Beam ", "beam", True, "right"),
    ("greedy", "beam", False, "not yet right"),
    ('"Attention."', "attention", True, "right"),
    (["a", "b"], [1, 2], False, "not yet right: could not convert string to float: 'a'"),
    ([[1, 2], [3]], [1, 2], False, "not yet right: setting an array element with a sequence. The requested array "
     "has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part."),
])
def test_answer_status(answer, expected, right, message):
    assert exercises.answer_status(answer, expected, rtol=1e-3) == (right, message)


def test_check_answer_prints_the_verdict_not_the_value(capsys):
    assert exercises.check_answer("ex-a", 720, 720) is None
    exercises.check_answer("ex-b", 721, 720)
    out = capsys.readouterr().out
    assert out == "✓ ex-a: right\n✗ ex-b: not yet right\n"


def test_assert_answer_fails_on_a_wrong_or_missing_answer():
    exercises.assert_answer("ex-a", [720, 200], exercises.seal("ex-a", [720, 200]))
    for wrong in (None, [720, 201], "720"):
        with pytest.raises(AssertionError, match="ex-a: not"):
            exercises.assert_answer("ex-a", wrong, exercises.seal("ex-a", [720, 200]))


@pytest.mark.parametrize("answer, right, message", [
    ([720, 200], True, "right"),
    ((720.0, 200), True, "right"),
    ([720, 201], False, "not yet right: 1 of 2 values right"),
    ([200, 720], False, "not yet right: 0 of 2 values right"),
    ([720], False, "not yet right: 1 value(s) given, 2 expected"),
    (["720", "two hundred"], False, "not yet right: could not convert string to float: 'two hundred'"),
    ("720", False, "not yet right: 1 value(s) given, 2 expected"),
])
def test_a_sealed_answer_is_checked_without_being_shown(answer, right, message):
    sealed = exercises.seal("ex-stack", [720, 200])
    assert "720" not in repr(sealed) and "200" not in repr(sealed)
    assert eval(repr(sealed), vars(exercises)).digests == sealed.digests, "its repr is the check cell's source"
    assert exercises.answer_status(answer, sealed, label="ex-stack") == (right, message)
    assert exercises.answer_status([720, 200], sealed, label="ex-other")[0] is False, "sealed for its label"


@pytest.mark.parametrize("answer, right", [(0.9, True), (0.905, True), (0.894, True), (0.915, False),
                                           (0.88, False), (-0.9, False), ("0.9", True), ("about 0.9", False)])
def test_a_sealed_number_keeps_a_tolerance_of_a_step_or_two(answer, right):
    sealed = exercises.seal("ex-rate", 0.9012, step=0.005)
    assert exercises.answer_status(answer, sealed, label="ex-rate")[0] is right


def test_a_sealed_number_may_keep_a_relative_tolerance():
    sealed = exercises.seal("ex-kept", [1.8e-15, 0.41], step=0.05, log=True)
    for answer, right in (([1.85e-15, 0.40], True), ([1.8e-15, 0.45], False), ([0.0, 0.41], False)):
        assert exercises.answer_status(answer, sealed, label="ex-kept")[0] is right, answer


def test_a_sealed_word_accepts_case_spacing_and_quotes():
    sealed = exercises.seal("ex-word", "Attention")
    assert exercises.answer_status(" 'attention' ", sealed, label="ex-word") == (True, "right")
    assert exercises.answer_status("attentio", sealed, label="ex-word") == (False, "not yet right")
