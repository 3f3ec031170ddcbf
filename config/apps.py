from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """collectstatic leaves out static/build/: the Bootstrap build's script, its npm files and
    node_modules are development tools, never served (their output is static/vendor/)."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "build"]
