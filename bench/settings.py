"""Benchmark settings: the production settings plus a hello-world URL to compare against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
