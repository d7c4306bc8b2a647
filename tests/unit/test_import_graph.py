"""The import graph of ``app/``: no circle between packages, ``app.core`` imports no other app package, no circle of
modules inside one package.

The graph is read with ``ast``, without importing anything: the imports at the top of a module and those inside
functions, relative imports resolved, and the module names handed to importlib as string constants
(``importlib.import_module("app.x.y")``, or a ``"app.x.y:function"`` step of a loader). A package is
``app.<name>``; ``app/__init__.py`` (the application factory), ``app/models.py`` and ``app/extensions.py`` are
outside the rules. Inside a package, its ``__init__`` (the blueprint, which imports its routes) is left out of the
module circles: ``from app.leave import bp`` in a view is how a blueprint works.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2] / "app"
OUTSIDE = frozenset({"app", "app.models", "app.extensions"})
CORE = "core"
# "app.leave.services.scheduler" or "app.leave.services.scheduler:advance_missions" in a string constant.
MODULE_STRING = re.compile(r"^(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*)?$")


@dataclass(frozen=True, order=True)
class Import:
    source: str  # the importing module, "app.leave.services"
    target: str  # the imported module, "app.projects.services"
    file: str  # relative to the tree's parent: "app/leave/services.py"
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.source} -> {self.target}"


# Reading the tree -----------------------------------------------------------------------------------------------


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package directory ``root`` by dotted name (a package by its own name)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _resolve_from(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or the nearest enclosing module of the tree (``app.x.y.Class`` → ``app.x.y``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """The modules of the tree that ``module`` imports, with the line: every ``import`` and ``from`` statement
    wherever it stands, and every string constant that names a module of the tree (importlib's arguments and
    ``"module:function"`` steps)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(_known(alias.name, modules), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(module, path, node)
            for alias in node.names:
                # "from app.leave import permissions" imports a module; "from app.leave import bp" the package.
                found.append((_known(f"{base}.{alias.name}", modules) or _known(base, modules), node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = MODULE_STRING.match(node.value)
            if match and match["module"] in modules:
                found.append((match["module"], node.lineno))
    return [(target, line) for target, line in found if target is not None and target != module]


def import_graph(root: Path) -> list[Import]:
    """Every import between modules of the package directory ``root`` (``app/``)."""
    modules = module_names(root)
    edges = set()
    for module, path in modules.items():
        file = path.relative_to(root.parent).as_posix()
        for target, line in imports_of(module, path, modules):
            edges.add(Import(module, target, file, line))
    return sorted(edges)


# The rules ------------------------------------------------------------------------------------------------------


def package_of(module: str) -> str | None:
    """``app.leave.services`` → ``leave``; None for the modules outside the rules."""
    if module in OUTSIDE:
        return None
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """The circles of a directed graph: its strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(edges.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(set(edges) | {s for targets in edges.values() for s in targets}):
        if node not in index:
            visit(node)
    return components


def package_circles(imports: list[Import]) -> list[str]:
    """(a) The imports that make a circle between packages, grouped by circle."""
    cross = [
        i
        for i in imports
        if package_of(i.source) and package_of(i.target) and package_of(i.source) != package_of(i.target)
    ]
    graph: dict[str, set[str]] = {}
    for i in cross:
        graph.setdefault(package_of(i.source), set()).add(package_of(i.target))
    problems = []
    for circle in strongly_connected(graph):
        lines = [str(i) for i in cross if package_of(i.source) in circle and package_of(i.target) in circle]
        problems.append(f"circle between packages {' ↔ '.join(sorted(circle))}:\n  " + "\n  ".join(lines))
    return problems


def core_imports(imports: list[Import]) -> list[str]:
    """(b) The imports of ``app.core`` that reach another app package."""
    return [str(i) for i in imports if package_of(i.source) == CORE and package_of(i.target) not in {None, CORE}]


def module_circles(imports: list[Import]) -> list[str]:
    """(c) The imports that make a circle of modules inside one package (its ``__init__`` left out)."""
    inner = [
        i
        for i in imports
        if package_of(i.source) is not None
        and package_of(i.source) == package_of(i.target)
        and i.source.count(".") > 1
        and i.target.count(".") > 1
    ]
    graph: dict[str, set[str]] = {}
    for i in inner:
        graph.setdefault(i.source, set()).add(i.target)
    problems = []
    for circle in strongly_connected(graph):
        lines = [str(i) for i in inner if i.source in circle and i.target in circle]
        problems.append(f"circle of modules {' ↔ '.join(sorted(circle))}:\n  " + "\n  ".join(lines))
    return problems


# The application ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_imports() -> list[Import]:
    return import_graph(APP_DIR)


def test_the_graph_sees_the_applications_imports(app_imports):
    edges = {(i.source, i.target) for i in app_imports}
    assert ("app.leave.services.requests", "app.leave.permissions") in edges  # from app.leave import permissions
    assert ("app.leave", "app.leave.views") in edges  # the blueprint imports its routes (after creating bp)
    assert any(i.source.startswith("app.core") for i in app_imports)


def test_no_circle_between_packages(app_imports):
    problems = package_circles(app_imports)
    assert not problems, "\n".join(problems)


def test_core_imports_no_other_app_package(app_imports):
    problems = core_imports(app_imports)
    assert not problems, "app.core must not import the other packages:\n  " + "\n  ".join(problems)


def test_no_circle_of_modules_inside_a_package(app_imports):
    problems = module_circles(app_imports)
    assert not problems, "\n".join(problems)


# The rules on a tiny tree ---------------------------------------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root / "app"


CLEAN_TREE = {
    "app/__init__.py": "from app.alpha import views\nfrom app.beta import views as beta_views\n",
    "app/models.py": "from app.alpha.models import A\nfrom app.beta.models import B\n",
    "app/extensions.py": "",
    "app/core/__init__.py": "",
    "app/core/database.py": "from app.extensions import db\n",
    "app/alpha/__init__.py": "bp = object()\nfrom app.alpha import views  # noqa\n",
    "app/alpha/models.py": "from ..core.database import db\n",
    "app/alpha/views.py": "from app.alpha import bp\nfrom . import models\n",
    "app/beta/__init__.py": "",
    "app/beta/models.py": "",
    "app/beta/views.py": (
        "import importlib\n\ndef run():\n    from app.alpha.models import A\n"
        "    return importlib.import_module('app.core.database')\n"
    ),
}


def test_a_clean_tree_passes_every_rule(tmp_path):
    imports = import_graph(write_tree(tmp_path, CLEAN_TREE))
    assert ("app.alpha.models", "app.core.database") in {(i.source, i.target) for i in imports}  # relative
    assert ("app.beta.views", "app.alpha.models") in {(i.source, i.target) for i in imports}  # in a function
    assert package_circles(imports) == []
    assert core_imports(imports) == []
    assert module_circles(imports) == []


def test_a_circle_between_packages_is_found_even_through_a_function_and_a_relative_import(tmp_path):
    tree = dict(CLEAN_TREE)
    tree["app/alpha/models.py"] = "from ..core.database import db\n\ndef f():\n    from ..beta import views\n"
    imports = import_graph(write_tree(tmp_path, tree))
    [problem] = package_circles(imports)
    assert "alpha ↔ beta" in problem
    assert "app/alpha/models.py:4: app.alpha.models -> app.beta.views" in problem
    assert "app/beta/views.py:4: app.beta.views -> app.alpha.models" in problem


def test_core_naming_another_package_in_an_importlib_string_is_found(tmp_path):
    tree = dict(CLEAN_TREE)
    tree["app/core/commands.py"] = (
        "import importlib\n\nSTEPS = ('app.beta.views:run',)\n\n"
        "def load():\n    return importlib.import_module('app.alpha.models')\n"
    )
    problems = core_imports(import_graph(write_tree(tmp_path, tree)))
    assert sorted(problems) == [
        "app/core/commands.py:3: app.core.commands -> app.beta.views",
        "app/core/commands.py:6: app.core.commands -> app.alpha.models",
    ]


def test_a_circle_of_modules_inside_a_package_is_found(tmp_path):
    tree = dict(CLEAN_TREE)
    tree["app/alpha/models.py"] = "from ..core.database import db\n\ndef f():\n    from app.alpha.views import g\n"
    [problem] = module_circles(import_graph(write_tree(tmp_path, tree)))
    assert "app.alpha.models ↔ app.alpha.views" in problem
    assert "app/alpha/models.py:4: app.alpha.models -> app.alpha.views" in problem
    assert package_circles(import_graph(tmp_path / "app")) == []
