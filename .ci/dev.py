#!/usr/bin/env python3
"""One command to run the site, one to run the tests, on a machine with only Python 3.11+.

    python3 .ci/dev.py run     # venv, install, migrate, translations, demo data, serve
                               # (with the background worker that sends emails)
    python3 .ci/dev.py test    # venv, install, translations, pytest (extra args go to pytest)

Standard library only: it is what creates the virtualenv everything else lives in.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def sh(*args: str, env: dict | None = None) -> None:
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, **(env or {})})


def ensure_venv(requirements: str) -> None:
    """Create the venv and install requirements, again only when they changed."""
    if not PYTHON.exists():
        print(f"Creating virtualenv in {VENV} …", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    print(f"Installing {requirements} …", flush=True)
    sh(
        str(PYTHON),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        requirements,
    )
    stamp.write_text(digest.hexdigest())


def manage(*args: str, env: dict | None = None) -> None:
    sh(str(PYTHON), "manage.py", *args, env=env)


def run() -> None:
    ensure_venv("requirements.txt")
    env = {
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
        # Numbers are proven by SMS code as in production; the codes are printed here.
        "CAMPAIGN_SMS_VERIFY": os.environ.get("CAMPAIGN_SMS_VERIFY", "1"),
    }
    manage("compile_translations", env=env)
    manage("migrate", "--no-input", env=env)
    manage("load_demo", env=env)
    print(f"\n  优质服务体验季 is running at http://{HOST}:{PORT}/  (English: /en/)")
    print(f"  Staff admin: http://{HOST}:{PORT}/admin/  (login printed above)")
    print(
        "  Emails and text messages (SMS codes included) are printed here by the background\n"
        "  worker started with it.\n",
        flush=True,
    )
    worker = subprocess.Popen(
        [str(PYTHON), "manage.py", "db_worker", "--no-startup-delay"],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        manage("runserver", f"{HOST}:{PORT}", env=env)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def test(pytest_args: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    manage("compile_translations", env={"DJANGO_DEBUG": "1"})
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT)
    sys.exit(result.returncode)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "run":
        run()
    elif command == "test":
        test(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
