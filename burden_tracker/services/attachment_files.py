"""An attachment's bytes: what they are, made safe to keep, and where they are kept.

A file is known by its content, never by its name or the type the browser claims: the first bytes say PNG, JPEG or
PDF, and the name must agree (a PDF named "screenshot.png" is refused, as is anything else). Images are decoded and
written afresh by Pillow from their pixels alone, which drops what a camera or a screenshot tool adds (EXIF, GPS,
comments, colour profiles, text chunks) and anything hidden after the image. A PDF is kept as sent: it is only ever
downloaded, never shown in the page.

Kept files are named by the SHA-256 of what is kept, in a folder outside static/ (ATTACHMENTS_DIR): the same file
added twice is kept once, and a name says nothing of its content.
"""

import hashlib
import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePath

from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import DomainError

MEGABYTE = 1024 * 1024
MAX_PIXELS = 50_000_000  # larger than any screen's capture; a "decompression bomb" is far larger
NAME_LENGTH = 200


@dataclass(frozen=True)
class Kind:
    media_type: str
    called: str  # in a sentence: "a PNG image"
    signature: bytes
    extensions: tuple[str, ...]
    pillow_format: str | None  # None: kept as sent


KINDS = (
    Kind("image/png", "a PNG image", b"\x89PNG\r\n\x1a\n", (".png",), "PNG"),
    Kind("image/jpeg", "a JPEG image", b"\xff\xd8\xff", (".jpg", ".jpeg"), "JPEG"),
    Kind("application/pdf", "a PDF", b"%PDF-", (".pdf",), None),
)
ACCEPTED = ", ".join(extension for kind in KINDS for extension in kind.extensions)


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: Kind
    file_name: str


def checked_file(stream, file_name: str | None, *, max_bytes: int) -> CheckedFile:
    """The file as it will be kept, or DomainError saying why not, in words for the person who chose it."""
    name = "".join(character for character in PurePath((file_name or "").replace("\\", "/")).name
                   if character.isprintable()).strip()[-NAME_LENGTH:]
    if not name:
        raise _refused("Choose a file to add.")
    data = stream.read(max_bytes + 1)
    if not data:
        raise _refused(f"{name} is empty.")
    if len(data) > max_bytes:
        raise _refused(f"{name} is larger than {max_bytes / MEGABYTE:g} MB. Crop the screenshot, or save the PDF "
                       "with fewer pages.")
    kind = next((kind for kind in KINDS if data.startswith(kind.signature)), None)
    if kind is None:
        raise _refused(f"{name} is not a PNG or JPEG image or a PDF. Only those can be added.")
    said = next((other for other in KINDS if name.lower().endswith(other.extensions)), None)
    if said is not kind:
        raise _refused(f"{name} is {kind.called}, but its name "
                       f"{'says ' + said.called if said else 'does not end in ' + ' or '.join(kind.extensions)}. "
                       "Rename it, or choose another file.")
    if kind.pillow_format is None:
        return CheckedFile(_whole_pdf(data, name), kind, name)
    return CheckedFile(_redrawn(data, kind, name), kind, name)


def _whole_pdf(data: bytes, name: str) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise _refused(f"{name} is not a whole PDF: it ends before its last page. Save it again and add that.")
    return data


def _redrawn(data: bytes, kind: Kind, name: str) -> bytes:
    """The image from its pixels alone, turned the way its EXIF said (a phone's photo stays upright)."""
    try:
        with Image.open(BytesIO(data), formats=[kind.pillow_format]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _refused(f"{name} is {image.width:,} × {image.height:,} pixels: too large to be a screenshot.")
            image.load()
            turned = _upright(image)
            mode = "RGBA" if kind.pillow_format == "PNG" and _has_transparency(turned) else "RGB"
            pixels = turned.convert(mode)
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise _refused(f"{name} could not be read as {kind.called}: it may be damaged.") from error
    out = BytesIO()
    clean.save(out, format=kind.pillow_format, **({"quality": 90} if kind.pillow_format == "JPEG" else {}))
    return out.getvalue()


def _upright(image: Image.Image) -> Image.Image:
    return ImageOps.exif_transpose(image) or image


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _refused(message: str) -> DomainError:
    return DomainError(message)


# Keeping.


def keep(folder: Path, data: bytes) -> str:
    """Writes the bytes under their SHA-256, unless they are there already; returns the digest. Readable by the
    app's own user only: a file may show what a screenshot should not have."""
    digest = hashlib.sha256(data).hexdigest()
    path = kept_path(folder, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        draft = path.with_name(f".{digest}.{os.getpid()}.partial")
        descriptor = os.open(draft, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        draft.replace(path)  # whole or not at all, for a reader at the same moment
    return digest


def kept_path(folder: Path, digest: str) -> Path:
    return Path(folder) / digest[:2] / digest


def discard(folder: Path, digest: str) -> None:
    kept_path(folder, digest).unlink(missing_ok=True)
