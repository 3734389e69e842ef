"""JupyterLab opens the notebooks with the project's environment (`make lab`)."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from dangjian_analysis.notebooks import notebook_paths

from conftest import ROOT

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def test_make_lab_opens_jupyterlab_on_the_notebooks_with_the_venv():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lab:.*\n\t(.+)$", makefile, re.M)
    assert recipe and recipe.group(1).startswith("$(BIN)/jupyter lab") and "notebooks" in recipe.group(1)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    assert "make all" in quickstart and "make test" in quickstart and "make lab" in quickstart


def test_jupyterlab_serves_the_notebook_list_headless(tmp_path):
    port, token = _free_port(), "dangjian-test-token"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={ROOT / 'notebooks'}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI containers run as root
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = _get(f"{base}/api/contents?type=directory", token)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read().decode(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        assert status == 200
        listed = sorted(item["name"] for item in json.loads(body)["content"] if item["type"] == "notebook")
        assert listed == [p.name for p in notebook_paths(ROOT)]
        assert _get(f"{base}/lab", token)[0] == 200  # the JupyterLab page itself
        assert "python3" in json.loads(_get(f"{base}/api/kernelspecs", token)[1])["kernelspecs"]
        _get(f"{base}/api/shutdown", token, method="POST")
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
