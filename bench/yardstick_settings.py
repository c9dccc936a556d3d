"""The project's settings with bench/yardstick_urls.py as the URLconf, for run.py's uncached server."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.yardstick_urls"
