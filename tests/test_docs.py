"""Documentation that must not fall behind the code: every setting is described for users."""

from __future__ import annotations

import re

import pytest

from culturegraph.settings import SETTINGS
from tests.conftest import ROOT


def documented_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_named_in_the_readme_or_docs(name: str) -> None:
    assert re.search(rf"`{name}`", documented_text()), f"setting {name} is not described in README.md or docs/"


def test_the_security_page_names_every_limit_of_the_endpoint() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for name in ("query_timeout", "worker_memory", "max_rows", "max_response_bytes", "max_body_bytes",
                 "client_timeout", "query_workers", "allow_service"):
        assert f"`{name}`" in text, name
