"""What an attachment is, by its content: images drawn afresh without their metadata, PDFs kept whole, and
everything else refused with the reason."""

import stat
from io import BytesIO

import pytest
from PIL import Image

from burden_tracker.errors import DomainError
from burden_tracker.services.attachment_files import checked_file, discard, keep, kept_path
from tests.support.files import GPS_IFD, jpeg_with_gps, pdf_bytes, png_bytes

TEN_MB = 10 * 1024 * 1024


def _checked(data: bytes, name: str, max_bytes: int = TEN_MB):
    return checked_file(BytesIO(data), name, max_bytes=max_bytes)


def test_a_screenshot_keeps_its_pixels_and_loses_its_text_chunks():
    sent = png_bytes(40, 20, colour=(200, 30, 30), text="Patient: Quillon Vantablack, MRN 0012345")
    kept = _checked(sent, "banner.png")
    image = Image.open(BytesIO(kept.data))
    assert (kept.kind.media_type, image.format, image.size) == ("image/png", "PNG", (40, 20))
    assert image.getpixel((5, 5)) == (200, 30, 30)
    assert b"Vantablack" in sent and b"Vantablack" not in kept.data
    assert image.info == {}


def test_a_phones_photo_loses_where_it_was_taken_and_stays_upright():
    sent = jpeg_with_gps(40, 20)
    kept = _checked(sent, "ward.JPG")
    image = Image.open(BytesIO(kept.data))
    assert kept.kind.media_type == "image/jpeg"
    assert image.size == (20, 40)  # turned as its EXIF said, since the EXIF is gone
    assert dict(image.getexif()) == {} and not image.getexif().get_ifd(GPS_IFD)
    assert b"PhoneMaker" in sent and b"PhoneMaker" not in kept.data


def test_a_pdf_is_kept_as_sent():
    sent = pdf_bytes()
    kept = _checked(sent, "Discharge form.pdf")
    assert (kept.data, kept.kind.media_type, kept.file_name) == (sent, "application/pdf", "Discharge form.pdf")


def test_only_the_name_is_kept_of_a_path_a_browser_sends():
    assert _checked(png_bytes(), "C:\\Users\\rn\\Desktop\\shot.png").file_name == "shot.png"
    assert _checked(png_bytes(), "shot\r\n\x00.png").file_name == "shot.png"  # nothing that breaks a header


@pytest.mark.parametrize(("data", "name", "reason"), [
    (pdf_bytes(), "shot.png", "shot.png is a PDF, but its name says a PNG image."),
    (png_bytes(), "form.pdf", "form.pdf is a PNG image, but its name says a PDF."),
    (png_bytes(), "shot.html", "shot.html is a PNG image, but its name does not end in .png."),
    (b"<html><script>alert(1)</script></html>", "shot.png", "shot.png is not a PNG or JPEG image or a PDF."),
    (b"MZ\x90\x00 an executable", "tool.pdf", "tool.pdf is not a PNG or JPEG image or a PDF."),
    (png_bytes()[:60], "cut.png", "cut.png could not be read as a PNG image: it may be damaged."),
    (pdf_bytes()[:120], "cut.pdf", "cut.pdf is not a whole PDF"),
    (b"", "empty.png", "empty.png is empty."),
    (png_bytes(), "", "Choose a file to add."),
])
def test_a_file_that_is_not_what_it_says_is_refused_with_the_reason(data, name, reason):
    with pytest.raises(DomainError) as refused:
        _checked(data, name)
    assert refused.value.message.startswith(reason)


def test_a_file_over_the_limit_is_refused_before_it_is_read_whole():
    with pytest.raises(DomainError, match=r"big.png is larger than 10 MB"):
        _checked(b"\x89PNG\r\n\x1a\n" + b"0" * TEN_MB, "big.png")


def test_an_image_of_more_pixels_than_any_screen_is_refused():
    small_file = BytesIO()
    Image.new("1", (9000, 6000)).save(small_file, format="PNG")  # a few kilobytes, 54 million pixels
    with pytest.raises(DomainError, match="9,000 × 6,000 pixels: too large to be a screenshot"):
        _checked(small_file.getvalue(), "bomb.png")


def test_kept_bytes_are_named_by_their_hash_and_readable_by_the_app_alone(tmp_path):
    digest = keep(tmp_path, b"the same bytes")
    assert digest == "7d95d9eeb9c191ad25da1c2014f6985c9a3094bf5065029ea0a79767f0522ce6"
    assert keep(tmp_path, b"the same bytes") == digest  # kept once
    path = kept_path(tmp_path, digest)
    assert path == tmp_path / "7d" / digest
    assert path.read_bytes() == b"the same bytes" and stat.S_IMODE(path.stat().st_mode) == 0o600
    discard(tmp_path, digest)
    assert not path.exists()
