"""environment.yml, pyproject.toml and the lock file name the same dependencies."""
import re
import tomllib

import yaml

from planlib.paths import PROJECT_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_pyproject_dependencies():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(d): d for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = {}
    for dep in env["dependencies"]:
        for spec in (dep["pip"] if isinstance(dep, dict) else [dep]):
            if not spec.startswith("-e") and _name(spec) not in ("python", "pip"):
                listed[_name(spec)] = spec
    assert set(listed) == set(wanted)
    for name, spec in wanted.items():  # the same version bounds
        assert _bounds(listed[name]) == _bounds(spec), (name, spec, listed[name])


def _bounds(spec: str) -> str:
    return spec[len(_name(spec)):].replace(" ", "")


def test_lock_pins_every_dependency():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    for dep in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert _name(dep) in pinned, dep
