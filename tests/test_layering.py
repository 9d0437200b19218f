"""No module below the fronts imports a front: the domain (work/, cases/, access/, evaluation/ …) never
imports `gongfu.web` or `gongfu.cli`. The fronts are `gongfu.web`, `gongfu.cli`, the `web` sub-packages of
the rooms (`gongfu.work.web`, `gongfu.cases.web`) and the entry point `gongfu.__main__`.

The walk reads every module's source with `ast`, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gongfu

ROOT = Path(gongfu.__file__).parent
FRONTS = ("gongfu.web", "gongfu.cli")
FRONT_PACKAGES = (*FRONTS, "gongfu.work.web", "gongfu.cases.web", "gongfu.__main__")


def _module_name(path: Path) -> str:
    parts = ["gongfu", *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def front_imports_below_fronts() -> list[str]:
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        if any(_is_under(module, front) for front in FRONT_PACKAGES):
            continue
        for line, imported in _imports(path):
            if any(_is_under(imported, front) for front in FRONTS):
                bad.append(f"{path.relative_to(ROOT.parent)}:{line} imports {imported}")
    return sorted(set(bad))


def test_no_module_below_the_fronts_imports_a_front():
    assert front_imports_below_fronts() == []


def test_the_walk_sees_an_import_of_the_web(tmp_path, monkeypatch):
    # the check itself can fail: a domain module that imports the web is reported
    fake = tmp_path / "gongfu"
    (fake / "work").mkdir(parents=True)
    (fake / "work" / "leak.py").write_text("def f():\n    from gongfu.web.scope import Scope\n")
    (fake / "web").mkdir()
    (fake / "web" / "ok.py").write_text("import gongfu.cli\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake)
    assert front_imports_below_fronts() == [
        "gongfu/work/leak.py:2 imports gongfu.web.scope",
        "gongfu/work/leak.py:2 imports gongfu.web.scope.Scope",
    ]
