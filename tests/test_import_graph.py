"""The package's imports (#16), counting lazy imports inside functions, read from the source: no cycles,
and the one-way flow of the layout — core ← inputs ← the registry and params ← each programme's folder
← calibration and build — with no programme reaching into another's folder."""

import ast

from jimo_eval.core.paths import PACKAGE_DIR


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
    return ".".join(("jimo_eval", *parts[: -1 if parts[-1] == "__init__" else None]))


def imports_of(path, modules: set[str]) -> set[str]:
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {target for target in found if target in modules and target != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def package_graph() -> dict[str, set[str]]:
    paths = [path for path in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in path.parts]
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports_of(path, modules) for path in paths}


def test_the_package_has_no_import_cycles():
    graph = package_graph()
    assert len(graph) > 50
    assert cycles(graph) == []


# What each part of the package may import (besides itself), most specific prefix first. A programme's
# folder may import its own folder too (see layer_violations); "jimo_eval.programmes" alone is the
# registry, which imports every folder's light __init__ and scorecard rows.
MAY_IMPORT = {
    "jimo_eval.core": (),
    "jimo_eval.inputs": ("jimo_eval.core",),
    "jimo_eval.calibration.notes": ("jimo_eval.core",),
    "jimo_eval.params": ("jimo_eval.core", "jimo_eval.programmes"),
    "jimo_eval.notebook": (
        "jimo_eval.core",
        "jimo_eval.inputs",
        "jimo_eval.params",
        "jimo_eval.programmes",
        "jimo_eval.calibration.notes",
    ),
    "jimo_eval.programmes.": ("jimo_eval.core", "jimo_eval.inputs", "jimo_eval.params", "jimo_eval.notebook"),
    "jimo_eval.programmes": ("jimo_eval.core", "jimo_eval.programmes."),
    "jimo_eval.calibration": ("jimo_eval.core", "jimo_eval.programmes."),
    "jimo_eval.build": ("jimo_eval.",),
}


def _under(module: str, prefix: str) -> bool:
    return (
        module.startswith(prefix)
        if prefix.endswith(".")
        else module == prefix or module.startswith(prefix + ".")
    )


def programme_folder(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["jimo_eval", "programmes"] and len(parts) > 2 else None


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in graph.items():
        if module == "jimo_eval":  # the package's own __init__: its version, imports nothing
            found += [f"jimo_eval imports {target}" for target in sorted(targets)]
            continue
        part = next((prefix for prefix in MAY_IMPORT if _under(module, prefix)), None)
        if part is None:
            found.append(f"{module}: in no part of the layout")
            continue
        own = programme_folder(module) or part.rstrip(".")
        for target in sorted(targets):
            allowed = _under(target, own) or any(_under(target, prefix) for prefix in MAY_IMPORT[part])
            if programme_folder(module) and programme_folder(target) not in (None, programme_folder(module)):
                allowed = False  # another programme's folder
            if not allowed:
                found.append(f"{module} imports {target}")
    return found


def test_imports_flow_one_way_through_the_layout():
    assert layer_violations(package_graph()) == []


def test_the_layout_check_finds_a_wrong_way_import():
    graph = {
        "jimo_eval.core.stats": {"jimo_eval.programmes.throughput.metrics"},
        "jimo_eval.programmes.resolution.metrics": {
            "jimo_eval.programmes.throughput.metrics",
            "jimo_eval.core",
        },
        "jimo_eval.programmes.throughput.view": {
            "jimo_eval.programmes.throughput.metrics",
            "jimo_eval.notebook",
        },
        "jimo_eval.inputs.cases": {"jimo_eval.build.cli"},
        "jimo_eval.stray": set(),
    }
    assert layer_violations(graph) == [
        "jimo_eval.core.stats imports jimo_eval.programmes.throughput.metrics",
        "jimo_eval.programmes.resolution.metrics imports jimo_eval.programmes.throughput.metrics",
        "jimo_eval.inputs.cases imports jimo_eval.build.cli",
        "jimo_eval.stray: in no part of the layout",
    ]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
