"""schemathesis against the published OpenAPI document: no input makes the API answer 500, and every
response body and content type conforms to the schema the document declares (fixed seed, bounded
examples).

Runs on a SQLite file with synthetic data, signed in as a city user, so that generated requests reach
the handlers rather than stopping at 401.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from gongfu.store.db import open_db  # noqa: E402
from gongfu.web.app import create_app  # noqa: E402
from web_seed import PASSWORD, seed  # noqa: E402

pytestmark = pytest.mark.slow


def _app_and_headers():
    # Built at import: schemathesis parametrizes from a schema that exists when the module is collected.
    tmp = Path(tempfile.mkdtemp(prefix="gongfu-schemathesis-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    url = f"sqlite:///{tmp / 'gongfu.db'}"
    db = open_db(url)
    seed(db)
    db.engine.dispose()
    app = create_app(url)
    with TestClient(app) as client:
        r = client.post("/api/v1/auth/token", data={"username": "city", "password": PASSWORD})
    return app, {"Authorization": f"Bearer {r.json()['access_token']}"}


APP, HEADERS = _app_and_headers()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
)


@schema.exclude(path="/api/v1/auth/logout").parametrize()  # would revoke the shared token; see test_web_api
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_responses_conform_to_the_schema(case) -> None:
    case.call_and_validate(headers=HEADERS, checks=CHECKS)
