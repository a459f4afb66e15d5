"""The check cells of the exercises: a student's answer against the
expected value, reported as right or not yet, never the value.

A check cell keeps its secret. Where the expected value is fixed (a count,
a constant of the exercise), the cell holds it sealed: a `Sealed` of the
digests of its values, which `seal` makes; a number is rounded to a step
first (of its logarithm, for a relative tolerance), so that a tolerance
remains. Where the value depends on the run (a
trained model), the cell computes it by another route than the solution's
and is folded. A solution code cell that sets the answer of an exercise
names it in its metadata ("answer": ["answer_stack"]); the student edition
replaces the solution by `answer_stack = None`, so that the notebook still
runs from top to bottom before the student has answered.
"""

import hashlib

import numpy as np


def _words(text):
    """A free-text answer as compared: lower case, single spaces, without
    surrounding quotes or full stops."""
    return " ".join(str(text).lower().split()).strip("'\". ")


def _digest(label, position, value):
    text = f"{label}|{position}|{value}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Sealed:
    """An expected value kept secret: one digest per value (`seal` makes
    them), with the step its numbers, or their logarithms (log=True), were
    rounded to (None: exact integers), or the digest of a word."""

    def __init__(self, *digests, step=None, log=False, word=False):
        self.digests, self.step, self.log, self.word = digests, step, log, word

    def __repr__(self):
        options = ([] if self.step is None else [f"step={self.step!r}"]) + (
            ["log=True"] if self.log else []) + (
            ["word=True"] if self.word else [])
        return f"Sealed({', '.join([*map(repr, self.digests), *options])})"

    def keys(self, value):
        """What the digest of a number may have been made from: its step
        count and the two beside it (a tolerance of one step or more)."""
        if self.step is None:
            return [repr(int(value))] if float(value).is_integer() else []
        if self.log and not value > 0:
            return []
        count = round((np.log(value) if self.log else value) / self.step)
        return [repr(count + d) for d in (0, -1, 1)]

    def matches(self, label, answer):
        """For each value of `answer`, whether it is the sealed one."""
        if self.word:
            return [_digest(label, 0, _words(answer)) == self.digests[0]]
        values = np.asarray(answer, dtype=float).ravel()
        if values.size != len(self.digests):
            raise ValueError(f"{values.size} value(s) given, "
                             f"{len(self.digests)} expected")
        return [any(_digest(label, i, key) == digest
                    for key in self.keys(value))
                for i, (value, digest) in enumerate(zip(values,
                                                        self.digests))]


def seal(label, expected, step=None, log=False):
    """The Sealed of the answer `expected` to exercise `label` (a word, or
    numbers, or with log=True their logarithms, rounded to `step`; exact
    integers where step is None). Its repr is the check cell's code."""
    if isinstance(expected, str):
        return Sealed(_digest(label, 0, _words(expected)), word=True)
    values = np.asarray(expected, dtype=float).ravel()
    values = np.log(values) if log else values
    keys = [repr(round(v / step)) if step else repr(int(v)) for v in values]
    return Sealed(*(_digest(label, i, key) for i, key in enumerate(keys)),
                  step=step, log=log)


def _verdict(close):
    close = list(close)
    if all(close):
        return True, "right"
    if len(close) == 1:
        return False, "not yet right"
    return False, f"not yet right: {sum(close)} of {len(close)} values right"


def answer_status(answer, expected, rtol=1e-6, atol=0.0, label=""):
    """(right, message) for an answer compared with the expected value:
    a Sealed one, numbers or sequences of numbers (elementwise, within rtol
    and atol), or words (ignoring case, spacing and surrounding quotes)."""
    if answer is None:
        return False, "not answered yet: set the answer variable above"
    try:
        if isinstance(expected, Sealed):
            return _verdict(expected.matches(label, answer))
        if isinstance(expected, str):
            return _verdict([_words(answer) == _words(expected)])
        given = np.asarray(answer, dtype=float)
        wanted = np.asarray(expected, dtype=float)
    except (TypeError, ValueError) as error:
        return False, f"not yet right: {error}"
    if given.shape != wanted.shape:
        return False, (f"not yet right: {given.size} value(s) given, "
                       f"{wanted.size} expected")
    return _verdict(np.isclose(given, wanted, rtol=rtol, atol=atol).ravel())


def check_answer(label, answer, expected, rtol=1e-6, atol=0.0):
    """Print whether `answer` to exercise `label` is right (and nothing
    more: a cell ending with this call shows only the verdict)."""
    right, message = answer_status(answer, expected, rtol, atol, label)
    print(f"{'✓' if right else '✗'} {label}: {message}")


def assert_answer(label, answer, expected, rtol=1e-6, atol=0.0):
    """check_answer that fails unless the answer is right: a check cell
    with these calls is a graded test (course_tools/assignments.py)."""
    right, message = answer_status(answer, expected, rtol, atol, label)
    assert right, f"{label}: {message}"
