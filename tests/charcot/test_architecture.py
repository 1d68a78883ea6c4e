"""The layers of docs/architecture.md hold, and would catch a wrong arrow."""

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "charcot",
    "accounts",
    "identities",
    "blog",
    "comments",
    "privacy",
    "importers",
    "subscriptions",
    "demo",
)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(tree: Path):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def tree_copy(tmp_path):
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_import_contract(tree_copy):
    result = _lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout


def test_an_upward_import_breaks_the_layers_contract(tree_copy):
    models = tree_copy / "blog" / "models.py"
    models.write_text("from comments.models import Comment  # noqa\n" + models.read_text())
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "blog is not allowed to import comments" in result.stdout


def test_infrastructure_importing_an_app_breaks_the_layers_contract(tree_copy):
    cache = tree_copy / "charcot" / "cache.py"
    cache.write_text(cache.read_text() + "\nfrom blog.models import Post  # noqa\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0
    assert "charcot is not allowed to import blog" in result.stdout


def test_a_cycle_inside_an_app_breaks_the_acyclic_contract(tree_copy):
    tasks = tree_copy / "comments" / "tasks.py"
    tasks.write_text(tasks.read_text() + "\nfrom comments import notifications  # noqa\n")
    result = _lint_imports(tree_copy)
    assert result.returncode != 0


@pytest.mark.parametrize(
    "app",
    [
        "charcot",
        "accounts",
        "identities",
        "blog",
        "comments",
        "privacy",
        "importers",
        "subscriptions",
    ],
)
def test_the_readme_lists_every_setting_of_every_app(app):
    conf = importlib.import_module(f"{app}.conf")
    prefix = "CHARCOT_" if app == "charcot" else f"CHARCOT_{app.upper()}_"
    readme = (ROOT / "README.md").read_text()
    missing = [prefix + name for name in conf.DEFAULTS if prefix + name not in readme]
    assert missing == []
