import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import NPM_PREFER_CACHE, STACKS, combo_id, node_modules_for, render, snapshot, venv_for
from tests.lanes import REDIS_OFFSET, lane_of

os.environ.update(NPM_PREFER_CACHE)  # Copier's tasks and the pipelines' jobs run npm too


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The template as it is in the working tree."""
    return snapshot(tmp_path_factory.mktemp("template") / "src")


@pytest.fixture(scope="module")
def generated(template, tmp_path_factory) -> Callable[[dict], Path]:
    """`generated(answers)`: the project, rendered with the lockfile `copier copy` writes and its
    dependencies installed, once per combination."""
    root = tmp_path_factory.mktemp("generated")
    cache: dict[str, Path] = {}

    def get(answers: dict) -> Path:
        key = combo_id(answers)
        if key not in cache:
            cache[key] = render(template, root / key, lock=True, **answers)
            family, _ = STACKS[answers["stack"]]
            (venv_for if family == "python" else node_modules_for)(cache[key])
        return cache[key]

    return get


def pytest_collection_modifyitems(config, items):
    """In a lane of `make test` (tests/lanes.py), only that lane's tests run."""
    lane = os.environ.get("TEMPLATE_TEST_LANE")
    if lane not in REDIS_OFFSET:
        return
    mine, others = [], []
    for item in items:
        (mine if lane_of(item.module.__name__.rpartition(".")[2]) == lane else others).append(item)
    if others:
        config.hook.pytest_deselected(items=others)
        items[:] = mine
