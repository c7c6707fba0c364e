"""The layout is the architecture: imports go one way, without cycles, and only through
each module's public names.

Rooms of ``enumerate`` from the bottom: ``_support`` <- ``core`` <- ``results`` <-
``counting`` <- ``analysis`` <- ``cli``; ``proofs`` sits above ``enumerate`` (its ``cli``
above the rest of it). Every import (at module level or inside a function) is read from
the syntax tree.
"""

from __future__ import annotations


import ast
import pathlib
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = ("enumerate", "proofs")

#: room -> height; an import may only go to a room of the same or a lower height
LAYERS = {
    "enumerate._support": 0,
    "enumerate.core": 1,
    "enumerate.results": 2,
    "enumerate.counting": 3,
    "enumerate.analysis": 4,
    "enumerate.testing": 4,
    "enumerate.cli": 5,
    "enumerate.__main__": 5,
    "enumerate": 6,  # the package's public face: lazy names from every room
    "proofs": 7,
    "proofs.cli": 8,
    "proofs.__main__": 8,
}


def sources(root=ROOT):
    """{module name: source text} of every module of the packages."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = (path.read_text(), path.name == "__init__.py")
    return out


def layer(module):
    """The height of ``module``'s room (its longest prefix in :data:`LAYERS`)."""
    parts = module.split(".")
    for k in range(len(parts), 0, -1):
        if ".".join(parts[:k]) in LAYERS:
            return LAYERS[".".join(parts[:k])]
    raise KeyError(module)


def imports(module, source, is_package):
    """[(line, imported module, [names])] of every import in ``source``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name, []) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            out.append((node.lineno, target, [a.name for a in node.names]))
    return out


def public_names(mods, module):
    """The names of ``module``'s ``__all__``, read from its syntax tree (a literal list, or
    ``sorted(D)`` of a dict literal ``D``)."""
    tree = ast.parse(mods[module][0])
    assigned = {t.id: node.value for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
    value = assigned.get("__all__")
    if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "sorted" and value.args:
        value = assigned.get(getattr(value.args[0], "id", None))
        return {k.value for k in value.keys} if isinstance(value, ast.Dict) else set()
    return set(ast.literal_eval(value)) if value is not None else set()


def violations(mods):
    """Every import that climbs up a room, reaches a private name, or closes a cycle."""
    found, edges = [], {}
    internal = set(mods)
    for module, (source, is_pkg) in mods.items():
        for line, target, names in imports(module, source, is_pkg):
            if target.split(".")[0] not in PACKAGES:
                continue
            where = f"{module}:{line} imports {target}"
            if target not in internal:
                found.append(f"{where}: no such module")
                continue
            if layer(target) > layer(module):
                found.append(f"{where}: climbs from a lower room")
            if target != module:
                edges.setdefault(module, set()).add(target)
            for name in names:
                if name not in public_names(mods, target) and f"{target}.{name}" not in internal:
                    found.append(f"{where}: {name!r} is not in its __all__")
    found.extend(f"import cycle: {' -> '.join(c)}" for c in cycles(edges))
    return found


def cycles(edges):
    """One cycle through each strongly connected group of modules (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group) + [sorted(group)[0]])

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_imports_go_one_way_without_cycles_through_public_names():
    assert violations(sources()) == []


def test_every_module_is_in_a_room():
    for module in sources():
        layer(module)  # raises KeyError for a module outside every room


@pytest.mark.parametrize("module,planted,expected", [
    ("enumerate.core.spec", "from ..cli.args import add_student_args\n", "climbs from a lower room"),
    ("enumerate.results.io", "from ..counting.brute import count_brute\n", "climbs from a lower room"),
    ("enumerate.counting.fast", "from enumerate.counting.brute import _cuts\n", "is not in its __all__"),
    ("enumerate.core.cube", "from .spec import NetworkSpec\n", "import cycle"),
    ("enumerate.counting.brute", "import proofs\n", "climbs from a lower room"),
])
def test_a_planted_bad_import_is_caught(module, planted, expected):
    mods = sources()
    source, is_pkg = mods[module]
    mods[module] = (source + "\n\ndef _planted():\n    " + planted, is_pkg)
    if expected == "import cycle":  # close a loop: spec imports cube already? make cube <- spec <- cube
        spec_src, spec_pkg = mods["enumerate.core.spec"]
        mods["enumerate.core.spec"] = (spec_src + "\n\ndef _back():\n    from .cube import symmetry_group\n", spec_pkg)
    found = violations(mods)
    assert any(expected in v for v in found), found


def test_no_bare_assert_in_package_code():
    """``python -O`` strips assert statements: package code must not rely on them."""
    found = []
    for pkg in ("enumerate", "proofs"):
        for path in (ROOT / pkg).rglob("*.py"):
            tree = ast.parse(path.read_text())
            found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    assert found == []
