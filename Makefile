# The course's two commands (see README.md):
#   make book   build the book into _build/html
#   make test   run every test
#   make student   the notebooks without their solutions, for instructors to hand out
# Both create the virtual environment .venv from requirements.txt first, if it is missing or stale.

PYTHON ?= python3
VENV := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
STAMP := $(VENV)/.installed

.PHONY: book test student venv clean

book: $(STAMP)
	@echo "==> Building the book into _build/html (Sphinx warnings are errors)"
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	@echo "==> Done: open _build/html/index.html"

test: $(STAMP)
	@echo "==> Running the tests: every notebook re-executed and compared (nbval), the data loader, the book build"
	$(BIN)/python -m pytest

student: $(STAMP)
	@echo "==> Writing the student edition (solutions removed) into _build/student"
	$(BIN)/python scripts/student_edition.py

venv: $(STAMP)

$(STAMP): requirements.txt Makefile
	@echo "==> Creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Installing requirements.txt into $(VENV) (about 1 GB; a few minutes the first time)"
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -r requirements.txt
	@echo "==> Making the course's shared code (course/) importable in $(VENV)"
	$(BIN)/python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[-1], 'rnn_course.pth').write_text(r'$(CURDIR)')"
	@touch $(STAMP)

clean:
	@echo "==> Removing _build"
	rm -rf _build
