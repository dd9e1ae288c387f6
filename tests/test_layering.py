"""db/ and exporters/ never import Qt or desktop/ (ENGINEERING.md §1)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "desktop", "shiboken6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_core_packages_do_not_import_qt_or_desktop():
    offenders = []
    files = list((ROOT / "db").rglob("*.py")) + list((ROOT / "exporters").rglob("*.py"))
    assert files, "no source files found: the check would be vacuous"
    for path in files:
        for name in _imports(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_layering_check_catches_a_leak(tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text("from PySide6.QtWidgets import QWidget\nimport desktop.app\n")
    assert [n.split(".")[0] for n in _imports(leaky)] == ["PySide6", "desktop"]
