import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[1]


def run_check(**env):
    clean = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_site_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_check(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_site_starts_with_a_secret_key():
    assert run_check(DEBUG="false", SECRET_KEY="a-real-secret").returncode == 0


@pytest.mark.django_db
def test_server_error_page_is_the_newsroom_one_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
