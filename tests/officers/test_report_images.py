"""Report images: only real JPEG/PNG/WebP up to 5 MB, re-encoded without EXIF or GPS, kept
outside the public files and shown only to their officer and to reviewers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from campaigns import verification
from campaigns.services.errors import DomainError
from feedback.officers import services
from feedback.officers.models import ReportImage, report_image_storage
from tests.factories import ModeratorFactory, OfficerFactory, StaffFactory

from .conftest import FINDINGS, jpeg

pytestmark = pytest.mark.django_db


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}  # GPS
    return exif.tobytes()


def save_with(task, officer, *uploads):
    return services.report_save(task=task, officer=officer, data=FINDINGS, images=uploads)


def test_gps_and_camera_metadata_are_stripped(task, officer):
    upload = jpeg(exif=gps_exif())
    original = upload.read()
    assert b"Xiaomi" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    report = save_with(task, officer, upload)
    stored = report.images.get().file.read()
    assert b"Xiaomi" not in stored and b"Exif" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG" and not reopened.getexif()
    assert reopened.size == (64, 48)


def test_a_large_photo_is_scaled_down(task, officer):
    report = save_with(task, officer, jpeg(size=(4000, 3000)))
    image = report.images.get()
    assert (image.width, image.height) == (2048, 1536)


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain"),
    SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff\xe0 not really a jpeg",
                       content_type="image/jpeg"),
    SimpleUploadedFile("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                       content_type="image/svg+xml"),
], ids=["text", "truncated-jpeg", "svg"])
def test_a_file_that_is_not_a_photo_is_refused(task, officer, upload):
    with pytest.raises(DomainError) as refused:
        save_with(task, officer, upload)
    assert "JPEG、PNG或WebP" in refused.value.messages[0]
    assert not ReportImage.objects.exists()


def test_a_file_over_five_megabytes_is_refused(task, officer):
    big = SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        save_with(task, officer, big)
    assert "5MB" in refused.value.messages[0]


def test_at_most_three_images(task, officer):
    report = save_with(task, officer, jpeg(), jpeg())
    with pytest.raises(services.OfficerError):
        services.report_save(task=task, officer=officer, report=report, data=FINDINGS,
                             images=[jpeg(), jpeg()])
    assert report.images.count() == 2


def test_images_have_no_public_address_and_no_name_of_their_own(task, officer):
    image = save_with(task, officer, jpeg(name="王小明-家门口.jpg")).images.get()
    with pytest.raises(ValueError):
        image.file.url  # noqa: B018 (no URL at all: only the checked view serves it)
    assert image.file.name.endswith(".jpg") and "王小明" not in image.file.name
    assert image.file.storage is report_image_storage()



def signed_in(phone) -> Client:
    client = Client()
    session = client.session
    session[verification.SIGNED_IN_KEY] = {"phone": phone, "until": 9e12}
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client


def test_only_the_officer_and_reviewers_see_an_image(task, officer):
    image = save_with(task, officer, jpeg()).images.get()
    url = f"/officer/images/{image.pk}"
    own = signed_in(officer.phone).get(url)
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= {part.strip() for part in own["Cache-Control"].split(",")}
    other = OfficerFactory(activity=officer.activity)
    assert signed_in(other.phone).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    moderator = Client()
    moderator.force_login(ModeratorFactory())  # moderates feedback, does not review reports
    assert moderator.get(url).status_code == 404
    reviewer = Client()
    reviewer.force_login(StaffFactory())
    assert reviewer.get(url).status_code == 200
