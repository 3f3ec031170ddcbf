"""EMAIL_FILE_PATH comes from DJANGO_EMAIL_FILE_PATH: a staging host writes emails to files."""

from tests.security.conftest import production_environment, run_python

SEND = """
import json, django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
send_mail("subject", "body", None, ["someone@example.com"])
print(json.dumps({"path": settings.EMAIL_FILE_PATH}))
"""


def test_the_file_email_backend_writes_where_the_environment_says(tmp_path):
    outbox = tmp_path / "outbox"
    env = production_environment(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(outbox),
    )
    assert run_python(SEND, env) == {"path": str(outbox)}
    files = list(outbox.iterdir())
    assert len(files) == 1 and "Subject: subject" in files[0].read_text()
