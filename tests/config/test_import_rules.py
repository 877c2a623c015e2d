"""The import rules of docs/architecture.md that import-linter cannot see: no import inside a function in ``cases``
(a function-level import is how a cycle hides), except where Django requires one (``AppConfig.ready``)."""

import ast
from pathlib import Path

from django.conf import settings

CASES = Path(settings.BASE_DIR) / "cases"
ALLOWED = {("apps.py", "ready")}


def _function_level_imports(path: Path, root: Path = CASES.parent) -> list[str]:
    found = []
    for function in ast.walk(ast.parse(path.read_text())):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if (path.name, function.name) in ALLOWED:
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(f"{path.relative_to(root)}:{node.lineno} in {function.name}()")
    return found


def test_no_module_in_cases_imports_inside_a_function():
    modules = [path for path in CASES.rglob("*.py") if "migrations" not in path.parts]

    found = [hit for path in modules for hit in _function_level_imports(path)]

    assert len(modules) > 80
    assert found == []


def test_the_rule_sees_an_import_inside_a_function_or_method(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "import os\n\n"
        "def f():\n    from cases.pages import case_page\n\n"
        "class C:\n    def m(self):\n        import json\n"
    )

    assert _function_level_imports(module, root=tmp_path) == ["example.py:4 in f()", "example.py:8 in m()"]
