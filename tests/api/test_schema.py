"""The OpenAPI schema is checked in: a change to the API shows up as a diff of tests/api/openapi.yaml.

Regenerate it after a deliberate change with:
    .venv/bin/python manage.py spectacular --file tests/api/openapi.yaml --validate
"""

from pathlib import Path

import pytest
from django.core.management import call_command

CHECKED_IN = Path(__file__).with_name("openapi.yaml")
REGENERATE = ".venv/bin/python manage.py spectacular --file tests/api/openapi.yaml --validate"


def test_the_generated_schema_equals_the_checked_in_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text() == CHECKED_IN.read_text(), f"The API changed: if on purpose, run {REGENERATE}"


@pytest.mark.django_db
def test_the_schema_is_served_to_anyone(anonymous):
    response = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Redress API"


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(anonymous):
    response = anonymous.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn." not in page and "unpkg" not in page


def test_every_endpoint_documents_its_errors():
    import yaml

    schema = yaml.safe_load(CHECKED_IN.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            # 401 wherever credentials are needed; the worker status check needs none (and so has no 401).
            assert ("401" in codes) == ("security" in operation), (method, path)
            assert "429" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put") and path != "/api/v1/cases/{case_pk}/calculations/":
                assert "400" in codes, (method, path)
