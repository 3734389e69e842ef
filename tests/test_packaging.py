"""pip and conda users get the same dependencies; the wheel works on its own."""
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import yaml

from conftest import RAW, ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(r): r for r in conda + pip if _name(r) not in ("python", "pip", "-e")}
    assert "-e ." in pip
    assert set(listed) == set(wanted)
    for name, req in wanted.items():
        # same version constraint, written the same way
        assert listed[name].replace(" ", "") == req.replace(" ", ""), name


def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(ROOT)], check=True)
    wheel = next(dist.glob("dangjian_analysis-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # dependencies come from this environment (no network); the package itself only from the wheel
    site = subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)], check=True)
    code = (
        "import dangjian_analysis as dj;"
        f"assert dj.__file__.startswith({str(env_dir)!r}), dj.__file__;"
        f"print(len(dj.load_corpus({str(RAW)!r})));"
        # data files inside the wheel: lexicons and user dictionary, codebook, bundled datasets
        "ind = dj.extract_indicators('全镇发展党员12名，投入资金3.5万元。');"
        "print(sorted(ind['value'].tolist()));"
        "print(len(dj.load_codebook().dimensions));"
        "ds = dj.load_dataset('indicators'); print(len(ds) > 0, ds.attrs['citation'] != '')"
    )
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert lines[0] == str(len(list(RAW.glob("*.txt"))))
    assert lines[1] == "[12.0, 35000.0]"
    assert int(lines[2]) >= 4 and lines[3] == "True True"
    cli = subprocess.run([str(env_dir / "bin" / "dangjian"), "check", str(RAW)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr
