"""environment.yml, pyproject.toml and the lock file name the same dependencies."""
import ast
import importlib.metadata
import json
import re
import sys
import tomllib

import yaml

from planlib.paths import PROJECT_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_pyproject_dependencies():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(d): d for d in _all_dependencies(project)}
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
    """The version bounds of a requirement, its extras included (dask[distributed]>=2024.1 -> [distributed]>=2024.1)."""
    return spec[len(_name(spec)):].replace(" ", "")


def test_lock_pins_every_dependency():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {m.group(1).lower().replace("_", "-") for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    for dep in _all_dependencies(project):
        assert _name(dep) in pinned, dep


# --------------------------------------------------------------------------- imports are declared

def _top_level_imports(source: str) -> set[str]:
    """The top-level module names a piece of Python imports, anywhere in it (also inside functions).

    >>> sorted(_top_level_imports("import os.path, PIL.Image\\ndef f():\\n    from fontTools import ttLib\\nfrom . import x"))
    ['PIL', 'fontTools', 'os']
    """
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _code_files():
    """Every Python source planlib runs or tests: src/, tests/, benchmarks/ and the notebooks' code cells."""
    for folder in ("src", "tests", "benchmarks"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")
    for path in sorted((PROJECT_ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        # IPython magics and shell lines are not Python
        yield path, "\n".join(line for cell in code for line in cell.split("\n")
                              if not line.lstrip().startswith(("%", "!")))


def _declared() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_canonical(_name(d)) for d in _all_dependencies(project)}


def _all_dependencies(project: dict) -> list[str]:
    """The dependencies and every extra (dev, cluster): make installs them all."""
    return project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_third_party_import_is_a_declared_dependency():
    """An import that works only because something else pulled the package in breaks on the next resolve."""
    # test helpers import each other as modules or as packages (tests/fixtures/hostile.py -> fixtures.hostile)
    local = {part for folder in ("tests", "benchmarks") for p in (PROJECT_ROOT / folder).rglob("*.py")
             for part in (*p.relative_to(PROJECT_ROOT / folder).parent.parts, p.stem)}
    local |= {"planlib"}
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    undeclared, unknown = {}, []
    for path, source in _code_files():
        for module in _top_level_imports(source):
            if module in sys.stdlib_module_names or module in local:
                continue
            dists = {_canonical(d) for d in distributions.get(module, [])}
            if not dists:
                unknown.append(f"{module} ({path.relative_to(PROJECT_ROOT)})")
            elif not dists & declared:
                undeclared.setdefault(module, set()).add(str(path.relative_to(PROJECT_ROOT)))
    assert not unknown, f"imported but not installed in this environment: {unknown}"
    assert not undeclared, f"imported but not in pyproject.toml (dependencies or the dev extra): {undeclared}"


def test_uv_is_pinned_with_hashes_for_make():
    """make installs uv from requirements-uv.lock with --require-hashes: one exact pin, hashes, the version asked for."""
    wanted = re.search(r"^uv==(\S+)", (PROJECT_ROOT / "requirements-uv.in").read_text(encoding="utf-8"), re.M)
    lock = (PROJECT_ROOT / "requirements-uv.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", lock, re.M)
    assert wanted and pins == [("uv", wanted.group(1))]
    assert len(re.findall(r"--hash=sha256:[0-9a-f]{64}", lock)) >= 1
