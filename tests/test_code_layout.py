"""The shape of the code: imports inside the apps run one way, and no module grows past a readable size."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["articles", "images", "newsroom", "api", "webhooks"]
LONGEST_MODULE = 400


def modules():
    """Every module of the apps (migrations aside) by dotted name, with its path."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            found[".".join(parts)] = path
    return found


def imported_names(name, path, known):
    """The project modules `name` imports anywhere in its text, functions included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in known and target != name}


def import_graph():
    known = modules()
    return {name: imported_names(name, path, known) for name, path in known.items()}


def find_cycle(graph):
    """One import cycle as a list of module names, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target]
            if target not in state and (cycle := visit(target, [*trail, target])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_the_apps_have_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle)


def test_the_cycle_finder_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("model_module", ["articles.models", "images.models", "api.models", "webhooks.models"])
def test_models_never_import_views_publishing_or_caching(model_module):
    graph = import_graph()
    own = [name for name in graph if name == model_module or name.startswith(f"{model_module}.")]
    reached = {target for name in own for target in graph[name]}
    outward = {"views", "publishing", "pagecache", "feeds", "admin", "metadata"}
    assert not {target for target in reached if target.rpartition(".")[2] in outward}


def test_the_stories_know_nothing_of_the_webhooks_that_react_to_them():
    """Webhooks connect to the stories' signals (webhooks/apps.py); nothing in articles/ reaches back."""
    graph = import_graph()
    reached = {target for name, targets in graph.items() if name.startswith("articles") for target in targets}
    assert not {target for target in reached if target.startswith("webhooks")}


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}
