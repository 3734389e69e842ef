"""`build --all` says what it is doing on a terminal and nothing when its output is a file or a pipe."""
from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from dangjian_analysis.progress import Progress

TEXT = "全区建成党群服务中心12个，开展志愿服务活动30余场。\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stages_and_bars_on_a_terminal():
    out = _Terminal()
    progress = Progress(stages=2, stream=out)
    progress.stage("reading")
    with progress.bar(3, "report") as bar:
        bar.update(3)
    progress.stage("writing")
    progress.close()
    text = out.getvalue()
    assert "[1/2] reading" in text and "[2/2] writing" in text and text.count("done in") == 2
    assert "0/3" in text  # the bar (erased when done)


def test_silent_when_not_a_terminal():
    out = io.StringIO()
    progress = Progress(stages=2, stream=out)
    progress.stage("reading")
    with progress.bar(3, "report") as bar:
        bar.update(3)
    progress.close()
    assert out.getvalue() == ""


def _project(tmp_path: Path) -> Path:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def _cli(root: Path) -> list[str]:
    return [sys.executable, "-m", "dangjian_analysis.cli", "build", "--root", str(root)]


def test_build_writes_no_progress_into_a_pipe(tmp_path):
    out = subprocess.run(_cli(_project(tmp_path)), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert "reports:" in out.stdout and "[1/3]" not in out.stdout


def test_build_shows_its_stages_on_a_terminal(tmp_path):
    master, slave = pty.openpty()
    proc = subprocess.Popen(_cli(_project(tmp_path)), stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    for stage in ("[1/3] checking the corpus", "[2/3] processing 1 report(s)", "[3/3] writing the tables"):
        assert stage in text, text
