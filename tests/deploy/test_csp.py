"""Content security policy: scripts and styles only from the product's static files."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_login_page_has_a_strict_policy(client, db):
    directives = policy(client.get("/accounts/login/"))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "role, path",
    [("agent", "/console/"), ("officer", "/queue/"), ("supervisor", "/dashboard/")],
)
def test_staff_pages_carry_the_policy(client_for, users, role, path):
    response = client_for(users[role]).get(path)

    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]


def test_api_docs_allow_inline_styles_but_no_inline_script(client_for, agent):
    response = client_for(agent).get("/api/docs/")

    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in directives["style-src"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


def test_api_docs_script_is_served_as_a_file(client_for, agent):
    response = client_for(agent).get("/api/docs/?script=")

    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


def template_sources():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize(
    "template", template_sources(), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_templates_have_no_inline_script_style_or_event_handler(template):
    source = template.read_text()

    inline_scripts = re.findall(
        r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", source
    )
    assert inline_scripts == []
    assert "<style" not in source
    assert not re.search(r"\sstyle=", source)
    assert not re.search(r"\son[a-z]+=", source)
    assert "hx-on" not in source


def test_htmx_injects_no_indicator_style_and_evaluates_no_code():
    base = (TEMPLATES / "base.html").read_text()

    assert '"includeIndicatorStyles":false' in base
    assert '"allowEval":false' in base
