"""A fresh install is repeatable: every dependency has a lower bound in pyproject.toml, and
constraints.txt pins each one (and everything they pull in) to the version the tests ran with."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
            assert m, f"constraints.txt: {line!r} is not an exact pin NAME==VERSION"
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_has_a_lower_bound():
    for req in _requirements():
        assert any(spec.operator in (">=", "==", "~=") for spec in req.specifier), f"pyproject.toml: {req} has no lower bound"


def test_constraints_pin_every_dependency_within_its_bounds():
    pins = _pins()
    for req in _requirements():
        name = _norm(req.name)
        assert name in pins, f"constraints.txt does not pin {req.name}"
        assert req.specifier.contains(pins[name], prereleases=True), f"constraints.txt pins {req.name}=={pins[name]}, outside {req.specifier}"


def test_this_environment_is_the_pinned_one():
    """The tests ran on exactly the pinned versions (so the pins are what was tested)."""
    pins = _pins()
    for req in _requirements():
        installed = metadata.version(req.name)
        assert installed == pins[_norm(req.name)], f"{req.name} {installed} is installed, constraints.txt pins {pins[_norm(req.name)]}"


def test_every_data_file_the_code_reads_is_installed_with_it():
    """A non-editable install ships only the files package-data names: the files the code reads
    from its own packages at run time (the app's words siaga/strings.toml, its templates and Vue
    component, the library's scenarios and exercises, the geography) must be among them. (The
    example experiments and the calibration's results are read by path from a clone.)"""
    from fnmatch import fnmatch

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    globs = tool.get("package-data", {})
    runtime = ("siaga", "siaga.app", "scenarios", "scenarios.library", "scenarios.exercises", "geography")
    missing = []
    for package in runtime:
        assert package in tool["packages"], package
        folder = ROOT / package.replace(".", "/")
        subpackages = {p.split(".")[-1] for p in tool["packages"] if p.startswith(package + ".") and p.count(".") == package.count(".") + 1}
        for path in folder.rglob("*"):
            rel = path.relative_to(folder).as_posix()
            if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in rel or rel.split("/")[0] in subpackages:
                continue
            if not any(fnmatch(rel, g) for g in globs.get(package, [])):
                missing.append(f"{package}: {rel}")
    assert not missing, f"files not in [tool.setuptools.package-data]: {missing}"
