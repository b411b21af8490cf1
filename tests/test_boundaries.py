"""Boundaries that hold: who may import whom (the import contract in pyproject.toml, checked by
import-linter), no import cycles between modules, and a light `import siaga`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("siaga", "experiments", "simulation", "agents", "scenarios", "geography", "common")
HEAVY = ("mesa", "pandas", "solara", "dask", "distributed", "SALib", "matplotlib", "scipy", "pyarrow", "networkx")


def test_the_import_contract_holds():
    """siaga > experiments > simulation > agents > scenarios > common: a layer never imports one
    above it, directly or through a chain (pyproject.toml [tool.importlinter])."""
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), f"{lint} missing: install the test extras (pip install -e '.[test]')"
    proc = subprocess.run([str(lint), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_contract_covers_every_package():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert set(config["root_packages"]) == set(PACKAGES)
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    assert layers == list(PACKAGES)


def _import_graph() -> nx.DiGraph:
    """Module -> module it imports, anywhere in the module (also inside a function), except imports
    under `if TYPE_CHECKING:`, which never run (an annotation may name a module that imports this one)."""
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    out = nx.DiGraph()
    for module in graph.modules:
        out.add_node(module)
        out.add_edges_from((module, imported) for imported in graph.find_modules_directly_imported_by(module))
    return out


def test_no_import_cycles_between_modules():
    graph = _import_graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    detail = [" -> ".join(next(nx.simple_cycles(graph.subgraph(c)))) for c in cycles]
    assert not cycles, "import cycles:\n" + "\n".join(detail)


def test_the_cycle_check_sees_an_import_inside_a_function():
    graph = grimp.build_graph("siaga", exclude_type_checking_imports=True, cache_dir=None)
    assert "siaga.output" in graph.modules
    assert "siaga.charts" in graph.find_modules_directly_imported_by("siaga.output")  # imported in write_run


def _fresh(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_siaga_loads_neither_the_engine_nor_heavy_libraries():
    loaded = json.loads(_fresh(
        "import json, sys, siaga; "
        f"print(json.dumps(sorted(m for m in {HEAVY + ('simulation', 'experiments', 'agents', 'scenarios')!r} if m in sys.modules)))"
    ))
    assert loaded == []


def test_import_experiments_loads_neither_mesa_nor_matplotlib():
    loaded = json.loads(_fresh(
        "import json, sys, experiments, experiments.spec; "
        "print(json.dumps(sorted(m for m in ('mesa', 'matplotlib', 'solara', 'SALib', 'distributed', 'siaga') if m in sys.modules)))"
    ))
    assert loaded == []


def test_the_front_door_still_opens():
    out = _fresh(
        "import siaga; from siaga import SiagaModel, run, load_scenario; "
        "from experiments import run as run2; from common.version import __version__; "
        "print(SiagaModel.__name__, run is run2, callable(load_scenario), siaga.__version__ == __version__, "
        "{'SiagaModel', 'run', 'load_scenario', '__version__'} <= set(dir(siaga)))"
    )
    assert out.split() == ["SiagaModel", "True", "True", "True", "True"]


def test_the_version_is_written_once():
    """pyproject.toml is the one place the version is written; siaga and experiments read it."""
    for path in [*ROOT.glob("siaga/**/*.py"), *ROOT.glob("experiments/**/*.py")]:
        assert "__version__ = " not in path.read_text(encoding="utf-8"), path


def test_old_names_still_import_from_siaga_output():
    from common import atomic
    from siaga import output

    for name in ("OutputError", "atomic_write", "describe_os_error", "write_json", "write_table"):
        assert getattr(output, name) is getattr(atomic, name)
