import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    clean = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def run_check(**env):
    return run_manage("check", **env)


def test_site_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = run_check(DEBUG="false", SECRET_KEY_FILE=str(tmp_path / "no-such-file"))

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_local_commands_read_the_key_that_make_run_wrote(tmp_path):
    """`make run` writes var/secret_key; `manage.py ...` as the README shows it works without exporting it."""
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-key-make-run-wrote\n")
    script = "from django.conf import settings; print(settings.SECRET_KEY)"

    assert run_check(DEBUG="false", SECRET_KEY_FILE=str(key_file)).returncode == 0
    shell = run_manage("shell", "-c", script, DEBUG="false", SECRET_KEY_FILE=str(key_file))
    assert shell.stdout.splitlines()[-1] == "a-key-make-run-wrote"


def test_the_default_key_file_is_var_secret_key():
    from django.conf import settings

    assert settings.SECRET_KEY_FILE == ROOT / "var" / "secret_key"


def test_an_empty_key_file_is_no_key(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("\n")

    assert run_check(DEBUG="false", SECRET_KEY_FILE=str(key_file)).returncode != 0


def test_site_starts_with_a_secret_key():
    assert run_check(DEBUG="false", SECRET_KEY="a-real-secret").returncode == 0


@pytest.mark.django_db
def test_server_error_page_is_the_newsroom_one_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def database_settings(**env):
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.DATABASES, settings.DATABASE_REPLICAS, settings.DATABASE_ROUTERS], default=str))"
    )
    result = run_manage("shell", "-c", script, SECRET_KEY="tests-only", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_each_replica_url_is_a_database_that_mirrors_the_primary_in_tests():
    databases, replicas, routers = database_settings(
        DATABASE_URL="postgres://app@primary:5432/newsroom",
        DATABASE_REPLICA_URLS="postgres://app@replica-a:5432/newsroom, postgres://app@replica-b:5433/newsroom",
    )

    assert replicas == ["replica_0", "replica_1"] and routers == ["newsroom.replicas.ReplicaRouter"]
    assert [databases[alias]["HOST"] for alias in ["default", *replicas]] == ["primary", "replica-a", "replica-b"]
    assert databases["replica_1"]["PORT"] == 5433
    for alias in replicas:
        assert databases[alias]["TEST"]["MIRROR"] == "default"
        assert databases[alias]["OPTIONS"] == databases["default"]["OPTIONS"]
        assert databases[alias]["CONN_MAX_AGE"] == databases["default"]["CONN_MAX_AGE"]


def test_without_replicas_there_is_one_database_and_no_router():
    databases, replicas, routers = database_settings(DATABASE_URL="postgres://app@primary:5432/newsroom")

    assert list(databases) == ["default"] and replicas == [] and routers == []


def test_replicas_of_an_sqlite_database_are_refused_at_start(tmp_path):
    result = run_check(
        SECRET_KEY="tests-only",
        DATABASE_URL=f"sqlite:///{tmp_path / 'newsroom.sqlite3'}",
        DATABASE_REPLICA_URLS="postgres://app@replica:5432/newsroom",
    )

    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs PostgreSQL" in result.stderr
