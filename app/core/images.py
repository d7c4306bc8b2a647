"""Photos for a page: a JPEG or PNG checked by decoding it (Pillow), turned upright, resized and re-encoded.

- The type is the decoder's, never the name's: anything Pillow does not decode completely as a JPEG or a PNG is
  refused (a text named ``.jpg``, a PNG header followed by junk, a truncated file, a GIF...).
- An image of more than :data:`MAX_PIXELS` pixels is refused from its header, before it is decoded (a
  "decompression bomb": a small file that would take gigabytes of memory); Pillow's own guard
  (``Image.MAX_IMAGE_PIXELS``) is made an error too.
- The EXIF orientation is applied (``ImageOps.exif_transpose``), then the image is scaled down to at most
  :data:`MAX_SIDE` pixels on its longest side and encoded again: nothing of the original file is kept, neither its
  metadata (EXIF with the GPS position, comments, XMP, ICC) nor anything hidden after its end.
"""

import io
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageFile, ImageOps

from app.core.uploads import UploadRejected

MAX_SIDE = 1600
# 64 megapixels: larger than the photos of a phone (a 10 MB JPEG), far smaller than what would fill the memory.
MAX_PIXELS = 64_000_000
# MPO: a JPEG that carries a second picture (many phones and cameras write their photos so); its first is kept.
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "MPO": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True)
class PreparedImage:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _refused() -> UploadRejected:
    return UploadRejected(_("Only JPEG and PNG photos are accepted (checked from their content)."))


def _too_large() -> UploadRejected:
    return UploadRejected(
        _("This image is too large: at most %(count)s million pixels.", count=MAX_PIXELS // 1_000_000)
    )


def _open(content: bytes) -> Image.Image:
    """The image, opened and checked from its header; raises :class:`UploadRejected`."""
    try:
        image = Image.open(io.BytesIO(content))
    except Image.DecompressionBombError:
        raise _too_large() from None
    except Exception:  # Pillow raises many kinds of errors on what it cannot read: every one is a refusal
        raise _refused() from None
    if image.format not in FORMATS:
        raise _refused()
    if image.width * image.height > MAX_PIXELS:
        raise _too_large()
    return image


def _decoded(content: bytes) -> Image.Image:
    """The image decoded completely (``verify`` checks the structure, ``load`` every pixel). A truncated file is
    refused whatever Pillow's process-wide setting says: WeasyPrint (the PDFs) turns ``LOAD_TRUNCATED_IMAGES`` on
    when it is imported, and a truncated upload would then be completed with grey."""
    loads_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        _open(content).verify()
        image = _open(content)
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = loads_truncated
    return image


def prepare_image(content: bytes, max_side: int = MAX_SIDE) -> PreparedImage:
    """The photo ready to store: upright, at most ``max_side`` pixels wide and high, re-encoded in its own format
    (JPEG stays JPEG, PNG stays PNG) without any metadata. Raises :class:`UploadRejected` with a message for the
    user."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decoded(content)
            content_type, extension = FORMATS[image.format]
            image = ImageOps.exif_transpose(image)
        except UploadRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large() from None
        except Exception:  # a truncated or corrupted image fails while decoding, in many ways
            raise _refused() from None
    image_format = "JPEG" if extension == "jpg" else "PNG"
    image = _for_encoding(image, image_format)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    image.info = {}  # no metadata is written again (EXIF and its GPS position, ICC, text chunks)
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return PreparedImage(out.getvalue(), content_type, extension, image.width, image.height)


def _for_encoding(image: Image.Image, image_format: str) -> Image.Image:
    """A mode the encoder and the resampling take: RGB (or grey) for a JPEG; RGB(A) (or grey) for a PNG, palettes
    expanded (a palette is resized pixel by pixel otherwise)."""
    if image_format == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGBA", "LA") or (image.mode in ("RGB", "L") and "transparency" not in image.info):
        return image
    has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")
