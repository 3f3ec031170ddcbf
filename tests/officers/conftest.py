import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ExperienceTaskFactory, OfficerFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path, monkeypatch):
    """Report images go to a temporary private directory."""
    from feedback.officers.models import private_storage

    monkeypatch.setattr(private_storage, "_location", str(tmp_path / "private"))
    monkeypatch.setattr(private_storage, "location", str(tmp_path / "private"), raising=False)
    return tmp_path / "private"


@pytest.fixture
def task(db):
    return ExperienceTaskFactory()


@pytest.fixture
def officer(task):
    return OfficerFactory(activity=task.programme, phone="13700001234", city="北京")


def jpeg(name="photo.jpg", size=(64, 48), exif=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", **(
        {"exif": exif} if exif is not None else {}))
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


FINDINGS = {"scores": {"score_network": 4, "score_usability": None},
            "highlights": "车站内信号满格。", "problems": "车厢中部视频通话卡顿三次。",
            "suggestions": "增加车厢内的覆盖。", "place": "地铁2号线", "experienced_at": None}
