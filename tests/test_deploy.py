"""The docker-compose stack puts deploy/nginx.conf in front of the app, filled the way the nginx image fills it."""

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def render_like_the_nginx_image(template, environment):
    """The image's entrypoint runs envsubst on the names that match NGINX_ENVSUBST_FILTER, and only those."""
    name_filter = re.compile(environment.get("NGINX_ENVSUBST_FILTER", ""))
    return PLACEHOLDER.sub(
        lambda m: environment[m[1]] if m[1] in environment and name_filter.search(m[1]) else m[0], template
    )


def test_only_the_front_is_published_and_it_waits_for_a_healthy_app(services):
    front, web = services["front"], services["web"]
    assert front["build"]["target"] == "front"
    assert front["ports"] == ["8000:80"]
    assert "ports" not in web
    assert front["depends_on"]["web"]["condition"] == "service_healthy"
    # The front serves uploads from the app's media volume, so the app does not.
    assert f"media:{front['environment']['NEWSROOM_MEDIA_ROOT']}:ro" in front["volumes"]
    assert "media:/app/media" in web["volumes"]
    assert web["environment"]["SERVE_MEDIA"] == "false"


def test_the_front_image_carries_the_template_and_the_apps_static_files(services):
    dockerfile = (ROOT / "Dockerfile").read_text()
    front_stage = dockerfile.split("AS front\n", 1)[1].split("\nFROM ", 1)[0]
    assert "COPY deploy/nginx.conf /etc/nginx/templates/newsroom.conf.template" in front_stage
    static_root = services["front"]["environment"]["NEWSROOM_STATIC_ROOT"]
    assert f"COPY --from=app /app/staticfiles {static_root}" in front_stage
    # The last stage, the one `docker build .` makes, is the app.
    assert dockerfile.rstrip().endswith("FROM app")


def test_every_placeholder_is_filled_from_the_front_services_environment(services):
    template = (ROOT / "deploy/nginx.conf").read_text()
    rendered = render_like_the_nginx_image(template, services["front"]["environment"])
    assert set(PLACEHOLDER.findall(template)) <= set(services["front"]["environment"])
    assert not PLACEHOLDER.search(rendered)
    assert "proxy_pass http://newsroom_app;" in rendered
    assert "server web:8000;" in rendered


@pytest.mark.nginx
def test_nginx_accepts_the_rendered_config(services, tmp_path):
    environment = {
        **services["front"]["environment"],
        # "web" resolves only inside the compose network; nginx -t looks the upstream up.
        "NEWSROOM_UPSTREAM": "127.0.0.1:8000",
        "NEWSROOM_CACHE_DIR": str(tmp_path / "cache"),
    }
    rendered = render_like_the_nginx_image((ROOT / "deploy/nginx.conf").read_text(), environment)
    (tmp_path / "newsroom.conf").write_text(rendered)
    # What the nginx image's own nginx.conf amounts to: conf.d/*.conf included in http {}.
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"{'user root;' if os.geteuid() == 0 else ''}\n"
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {tmp_path}/body;\n"
        f"    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/newsroom.conf;\n"
        "}\n"
    )
    result = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_worker_runs_the_apps_image_with_its_settings_and_its_own_command(services):
    """The worker is the app's image and environment with celery's command; the app hands it deliveries."""
    web, worker = services["web"], services["worker"]
    assert worker["build"] == web["build"] == "."
    assert worker["environment"] == web["environment"]
    command = worker["command"]
    assert command[:4] == ["celery", "-A", "newsroom.celery", "worker"]
    assert "--beat" in command  # the sweep: retries, scheduled stories, lost enqueues, expiries
    schedule = command[command.index("--schedule") + 1]
    assert schedule.startswith("/app/var/")  # the one folder the image's user may write besides media
    assert "ports" not in worker
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "celery" in " ".join(worker["healthcheck"]["test"])  # not the image's HTTP check: no gunicorn here


def test_the_broker_is_its_own_redis_that_never_evicts(services):
    broker = services["web"]["environment"]["CELERY_BROKER_URL"]
    host = broker.split("//", 1)[1].split(":", 1)[0]
    queue = services[host]
    command = queue["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert services["worker"]["depends_on"][host]["condition"] == "service_healthy"
    assert broker != services["web"]["environment"]["REDIS_URL"]


def test_the_workers_command_names_an_app_that_registers_the_webhook_tasks():
    from newsroom.celery import app

    app.loader.import_default_modules()
    assert {"webhooks.deliver", "webhooks.sweep"} <= set(app.tasks)
    assert app.conf.beat_schedule["webhooks-sweep"]["task"] == "webhooks.sweep"
