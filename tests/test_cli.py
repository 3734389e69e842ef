import subprocess
import sys

from dangjian_analysis.cli import main

from conftest import RAW


def test_check_ok(capsys):
    assert main(["check", str(RAW)]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_reports_file_and_problem_without_traceback(raw_copy):
    bad = sorted(raw_copy.glob("*.txt"))[0]
    bad.write_bytes("黨建".encode("utf-16"))
    out = subprocess.run([sys.executable, "-m", "dangjian_analysis.cli", "check", str(raw_copy)],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert bad.name in out.stdout and "UTF-16" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_build_error_is_one_line(raw_copy):
    (raw_copy / "reports.yaml").write_text("reports: 3\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "dangjian_analysis.cli", "build", "--root", str(raw_copy.parents[1])],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "reports.yaml" in out.stderr and "Traceback" not in out.stderr


def test_public_names_are_functions_even_after_submodule_imports():
    import importlib

    import dangjian_analysis as dj

    for module in ("normalize", "build", "corpus", "tables"):
        importlib.import_module(f"dangjian_analysis.{module}")
    for name in dj.__all__:
        obj = getattr(dj, name)
        assert not isinstance(obj, type(dj)), f"dj.{name} is a module"
    assert dj.normalize_text("網(wǎng)格").text == "网格"
