from pathlib import Path

import pytest

from tests.helpers import snapshot


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The template as it is in the working tree."""
    return snapshot(tmp_path_factory.mktemp("template") / "src")
