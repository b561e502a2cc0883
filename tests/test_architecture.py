"""The app ladder (docs/architecture.md), read from the source with `ast`.

Each app imports only the apps below it, and no module imports itself through a loop. Imports
inside functions count too: a deferred import is still a dependency, it only hides the loop
from Python until the function runs.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Lowest first. An app may import the apps before it, never one after it.
LADDER = ["accounts", "actionsets", "engagement", "facilitation", "enrolment", "lti", "research", "personal_data"]
# The project package wires the apps together (URLconf, settings): it may import any of them,
# and no app may import it except for these framework-level helpers.
CONFIG_FOR_APPS = {"config.cache", "config.health"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for top in [*LADDER, "config"]:
        for path in (REPO / top).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Our modules that `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            candidates = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in MODULES:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _app(module: str) -> str:
    return module.partition(".")[0]


def test_every_app_is_on_the_ladder():
    apps_on_disk = {p.parent.name for p in REPO.glob("*/apps.py")}
    assert apps_on_disk == set(LADDER), "add the new app to LADDER here and to docs/architecture.md"


def test_no_app_imports_an_app_above_it():
    upward = []
    for module, targets in GRAPH.items():
        if _app(module) == "config":
            continue
        for target in targets:
            if _app(target) == "config":
                if target not in CONFIG_FOR_APPS:
                    upward.append(f"{module} -> {target}")
            elif LADDER.index(_app(target)) > LADDER.index(_app(module)):
                upward.append(f"{module} -> {target}")
    assert upward == [], "upward imports (announce an event from actionsets.events instead):\n" + "\n".join(sorted(upward))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_through_a_loop():
    assert _cycles(GRAPH) == []


def test_the_loop_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
