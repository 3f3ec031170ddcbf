# The production-process fixtures of tests/security (a child process with DEBUG off).
from tests.security.conftest import (  # noqa: F401
    production_database_url,
    production_env,
    production_static_root,
)
