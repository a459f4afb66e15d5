# The course's two commands (see README.md):
#   make book   build the book into _build/html (and its Chinese edition into _build/html/zh)
#   make test   run every test
# and the others:
#   make pdf          the whole book as one PDF, _build/pdf/ (printed by Chromium; no LaTeX)
#   make lab          open the notebooks in JupyterLab, from the course's environment
#                     (make lab NOTEBOOKS=zh/notebooks: the Chinese edition's)
#   make student      the notebooks without their solutions, and a zip of them, for instructors
#   make assignments  each chapter as a graded assignment (otter-grader): student notebook, autograder zip
#   make test-colab   execute every notebook with Google Colab's versions (requirements-colab.txt)
#   make lock         regenerate requirements.lock from requirements.txt (after editing the pins)
# Each creates the virtual environment .venv from requirements.lock first, if it is missing or stale.

PYTHON ?= python3
VENV := .venv
ifeq ($(OS),Windows_NT)
SCRIPTS := Scripts
else
SCRIPTS := bin
endif
BIN := $(VENV)/$(SCRIPTS)
STAMP := $(VENV)/.installed
COLAB_VENV := .venv-colab
NOTEBOOKS ?= notebooks
COLAB_BIN := $(COLAB_VENV)/$(SCRIPTS)
COLAB_STAMP := $(COLAB_VENV)/.installed
OTTER_VENV := .venv-otter
OTTER_BIN := $(OTTER_VENV)/$(SCRIPTS)
OTTER_STAMP := $(OTTER_VENV)/.installed
PURELIB := import sysconfig; print(sysconfig.get_path('purelib'))

.PHONY: book test pdf lab student assignments test-colab lock venv clean

book: $(STAMP)
	@echo "==> Generating the Chinese edition's notebooks (zh/notebooks) and configuration (_build/zh/_config.yml)"
	$(BIN)/python -m course_tools.translate
	@echo "==> Building the book into _build/html (Sphinx warnings are errors)"
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	@echo "==> Building the Chinese edition (简体中文版) into _build/html/zh"
	$(BIN)/jupyter-book build zh --config _build/zh/_config.yml --builder html -W -n --keep-going --path-output _build/zh
	rm -rf _build/html/zh && cp -r _build/zh/_build/html _build/html/zh
	@echo "==> Done: open _build/html/index.html (English) or _build/html/zh/index.html (简体中文)"

test: $(STAMP) $(OTTER_STAMP)
	@echo "==> Running the tests: every notebook re-executed and compared (nbval), the data loader, the book build"
	$(BIN)/python -m pytest

pdf: $(STAMP)
	$(BIN)/python -m course_tools.build_pdf

lab: $(STAMP)
	$(if $(filter zh/%,$(NOTEBOOKS)),$(BIN)/python -m course_tools.translate)
	@echo "==> Opening $(NOTEBOOKS) in JupyterLab (stop it with Ctrl-C)"
	$(BIN)/jupyter lab $(NOTEBOOKS) $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

student: $(STAMP)
	@echo "==> Writing the student editions (solutions removed) into _build/student and _build/student-zh, with their zips"
	$(BIN)/python -m course_tools.student_edition --zip
	$(BIN)/python -m course_tools.student_edition --edition zh --zip

assignments: $(STAMP) $(OTTER_STAMP)
	@echo "==> Writing each chapter's graded assignment (otter assign) into _build/assignments and _build/assignments-zh"
	$(BIN)/python -m course_tools.assignments
	$(BIN)/python -m course_tools.assignments --edition zh

$(OTTER_STAMP): requirements-otter.txt $(STAMP)
	@echo "==> Creating $(OTTER_VENV) for otter-grader (requirements-otter.txt), seeing $(VENV)'s packages through a .pth file"
	rm -rf $(OTTER_VENV)
	$(BIN)/python -m venv $(OTTER_VENV)
	$(BIN)/python -c "$(PURELIB)" > "$$($(OTTER_BIN)/python -c "$(PURELIB)")/course-venv.pth"
	$(OTTER_BIN)/python -m pip install --progress-bar off --no-deps -r requirements-otter.txt
	$(OTTER_BIN)/python -m pip check
	@touch $(OTTER_STAMP)

test-colab: $(COLAB_STAMP)
	@echo "==> Executing every notebook with Colab's versions: their assertions checked, outputs not compared"
	$(COLAB_BIN)/python -m pytest -c /dev/null --rootdir . -p no:cacheprovider -v --nbval-lax --nbval-current-env --nbval-cell-timeout 600 notebooks

$(COLAB_STAMP): requirements-colab.txt
	@echo "==> Creating $(COLAB_VENV) with $(PYTHON) and Colab's versions (requirements-colab.txt)"
	$(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --progress-bar off -r requirements-colab.txt
	@touch $(COLAB_STAMP)

lock: $(STAMP)
	@echo "==> Resolving requirements.txt into requirements.lock for Python 3.11 and newer (uv)"
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 requirements.txt -o requirements.lock

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml Makefile
	@echo "==> Creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Installing requirements.lock, every package at its locked version, into $(VENV) (about 1 GB; a few minutes the first time)"
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install --progress-bar off --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	@echo "==> Installing the course's own packages (pyproject.toml: notebook_helpers, course_tools, experiments) into $(VENV)"
	$(BIN)/python -m pip install --no-deps --no-build-isolation --editable .
	@touch $(STAMP)

clean:
	@echo "==> Removing _build"
	rm -rf _build
