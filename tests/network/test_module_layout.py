"""How the network app's modules import each other (STYLE.md): checked on the source."""

import ast
from pathlib import Path

NETWORK = Path(__file__).resolve().parents[2] / "network"


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_tasks_import_their_services_inside_the_task_body_only():
    top = _imports(NETWORK / "tasks.py", top_level_only=True)
    anywhere = _imports(NETWORK / "tasks.py", top_level_only=False)

    assert not {name for name in top if name.startswith("network.")}
    assert "network.imports.services" in anywhere and "network.services.membership" in anywhere


def test_the_import_service_enqueues_its_task_from_the_top_of_its_module():
    assert "network.tasks" in _imports(NETWORK / "imports" / "services.py", top_level_only=True)
    for path in NETWORK.glob("services/*.py"):
        assert "network.tasks" not in _imports(path, top_level_only=False), path
