"""The import rules of CONTRIBUTING.md ("How the code is arranged"), checked on the source: no
import cycle between feature packages (views and commands included, imports inside functions
too), none between modules, and a pure module that imports without loading the features."""

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vendortrack"
GUIDE = "see CONTRIBUTING.md, 'How the code is arranged'"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, everywhere: bool) -> set[str]:
    """The vendortrack modules a file names in its imports: those run when it is imported, or
    (everywhere) those inside its functions too."""
    tree = ast.parse(path.read_text())
    nodes = ast.walk(tree) if everywhere else _run_on_import(tree.body)
    names = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("vendortrack.")}


def _run_on_import(body):
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            for block in (node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])):
                yield from _run_on_import(block)


def module_graph(everywhere: bool = False) -> dict[str, set[str]]:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {t for t in imported(path, everywhere) if t in files and t != name}
        for name, path in files.items()
    }


def feature_of(module: str) -> str | None:
    """The feature package a module belongs to; None for the modules beside them."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (PACKAGE / parts[-1]).is_dir() else None


def feature_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, targets in module_graph(everywhere=True).items():
        if (source := feature_of(module)) is None:
            continue
        graph.setdefault(source, set())
        for target in targets:
            if (feature := feature_of(target)) not in (None, source):
                graph[source].add(feature)
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return error.args[1]
    return []


def test_no_import_cycle_between_feature_packages():
    assert cycle_in(feature_graph()) == [], GUIDE


def test_no_import_cycle_between_modules_as_they_load():
    assert cycle_in(module_graph()) == [], GUIDE


def test_modules_beside_the_features_import_none_but_the_scheduler_and_the_factory():
    # The scheduler runs the features' jobs and create_app registers them: they sit on top.
    on_top = {"vendortrack", "vendortrack.scheduler"}
    leaks = {
        module: sorted(feature_of(t) for t in targets if feature_of(t))
        for module, targets in module_graph(everywhere=True).items()
        if feature_of(module) is None and module not in on_top
    }
    assert {module: found for module, found in leaks.items() if found} == {}, GUIDE


def test_a_pure_module_imports_without_loading_the_features():
    script = (
        "import sys, vendortrack.feeds.ical; "
        "print(sorted({m.split('.')[1] for m in sys.modules if m.count('.') >= 1 "
        "and m.startswith('vendortrack.') and (m.count('.') > 1 or '__path__' in "
        "dir(sys.modules[m]))}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "['feeds']", GUIDE


if __name__ == "__main__":
    # `.venv/bin/python -m tests.test_architecture`: the feature graph these tests check, printed.
    graph = feature_graph()
    for feature in graphlib.TopologicalSorter(graph).static_order():
        print(f"{feature:13} -> {', '.join(sorted(graph.get(feature, ()))) or '(none)'}")
    print("cycles between features:", cycle_in(graph) or "none")
