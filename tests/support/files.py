"""Files as people would attach them: a screenshot with what a phone or a screenshot tool adds, and a PDF."""

from io import BytesIO

from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATED_90 = 6  # EXIF: turn the picture 90° clockwise to show it upright


def png_bytes(width: int = 40, height: int = 20, *, colour=(200, 30, 30), text: str | None = None) -> bytes:
    """A PNG; with text, a tEXt chunk such as screenshot tools write (the author, the window's title)."""
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_gps(width: int = 40, height: int = 20) -> bytes:
    """A phone's photo: EXIF with where it was taken and which way up it was held (turned a quarter)."""
    image = Image.new("RGB", (width, height), (20, 120, 200))
    exif = image.getexif()
    exif[ORIENTATION] = ROTATED_90
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 18.0, 0.0), 3: "W", 4: (157.0, 51.0, 0.0)})
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf_bytes(words: str = "The form we fill in twice") -> bytes:
    """A one-page PDF, written out by hand: what a browser's "Save as PDF" gives, in small."""
    stream = f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    out, offsets = BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table))
    return out.getvalue()
