"""`make lab`: JupyterLab, from the course's environment, serves the course's notebooks.

The test starts the server the way the Makefile does (`jupyter lab notebooks`), without a browser, on a free
port, and asks its contents API for the notebooks folder, then stops it.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import NOTEBOOKS, REPO


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_serves_the_notebooks(tmp_path):
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    server = subprocess.Popen(
        [str(jupyter), "lab", "notebooks", "--no-browser", f"--port={port}", "--IdentityProvider.token=",
         "--ServerApp.ip=127.0.0.1", *(["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else [])],
        cwd=REPO, env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        listing, deadline = None, time.monotonic() + 60
        while listing is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=5) as response:
                    listing = json.load(response)
            except OSError:
                time.sleep(0.5)
        assert listing is not None, f"JupyterLab did not answer: {server.stderr.read() if server.poll() else ''}"
        served = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
        assert served == {path.name for path in NOTEBOOKS}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=10) as response:
            assert response.status == 200 and b"JupyterLab" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
