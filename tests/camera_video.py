"""A fake camera's video for Chromium (`--use-file-for-fake-video-capture=<file>.y4m`):
labels drawn by reportlab's barcode module, painted with Pillow, as raw Y4M frames.

reportlab draws a barcode as rectangles on a canvas; here its `rect` calls are caught and
painted on a Pillow image (no renderPM/cairo needed). Y4M, not MJPEG: Chromium's MJPEG
path left pixel-sized glitches in the frames that broke every DataMatrix. Chromium plays
the file from its start when the camera opens, at the header's frame rate, and loops at
the end: a video ends on a blank stretch longer than a test looks at it.
"""

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from reportlab.graphics.barcode.code39 import Standard39
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.ecc200datamatrix import ECC200DataMatrix

FPS = 10
SIZE = (640, 480)
GS = "\x1d"
FNC1_CODEWORD = 232  # ECC200: FNC1 in ASCII mode; first in the symbol, it says GS1


class DataMatrix(ECC200DataMatrix):
    """reportlab's 44×44 C40 DataMatrix, ended as ISO/IEC 16022 says (reportlab pads a
    lone last C40 value with a shift that decodes as NUL: the last characters go in ASCII
    instead). With `gs1`: FNC1 first (a GS1 DataMatrix) and each GS encoded as FNC1."""

    gs1 = False

    def _encode_c40_char(self, char):
        return [1, 27] if char == GS and self.gs1 else super()._encode_c40_char(char)

    def _encode_c40(self, value):
        head, tail = list(value), []
        while len(self._values(head)) % 3 == 1:
            tail.insert(0, head.pop())
        values = self._values(head) + [0] * (len(self._values(head)) % 3 == 2)  # a final shift: ignored
        codewords = [FNC1_CODEWORD] if self.gs1 else []
        codewords.append(230)  # latch to C40
        for i in range(0, len(values), 3):
            total = values[i] * 1600 + values[i + 1] * 40 + values[i + 2] + 1
            codewords += [total // 256, total % 256]
        codewords.append(254)  # back to ASCII
        codewords += [FNC1_CODEWORD if char == GS and self.gs1 else ord(char) + 1 for char in tail]
        if len(codewords) > self.cw_data:
            raise ValueError("too much data for a 44×44 DataMatrix")
        if len(codewords) < self.cw_data:
            codewords.append(129)  # the first pad, then the randomised ones
        while len(codewords) < self.cw_data:
            codewords.append((129 + ((149 * (len(codewords) + 1)) % 253) + 1) % 254)
        return codewords

    def _values(self, chars: list[str]) -> list[int]:
        return [v for char in chars for v in self._encode_c40_char(char)]


def _painted(barcode, module_px: int, height_px: int | None = None) -> Image.Image:
    """The barcode's rectangles (reportlab units: modules when barWidth=1) on white."""
    rects: list[tuple[float, float, float, float]] = []
    barcode.rect = lambda x, y, w, h: rects.append((x, y, w, h))
    if isinstance(barcode, ECC200DataMatrix):
        barcode.x = barcode.y = 0
        barcode.validate(), barcode.encode(), barcode.computeSize()
    barcode.draw()
    width, height = barcode._width, barcode._height
    scale_y = (height_px / height) if height_px else module_px
    image = Image.new("L", (round(width * module_px), round(height * scale_y)), 255)
    pen = ImageDraw.Draw(image)
    for x, y, w, h in rects:  # reportlab's origin is bottom left
        top = image.height - (y + h) * scale_y
        pen.rectangle([x * module_px, top, (x + w) * module_px - 1, top + h * scale_y - 1], fill=0)
    return image


def datamatrix(text: str, gs1: bool = False, module_px: int = 7) -> Image.Image:
    """A DataMatrix of `text` (ASCII); with gs1, FNC1 first and every GS an FNC1."""
    symbol = DataMatrix(text, barWidth=1, gs1=gs1)
    return _quiet(_painted(symbol, module_px), 2 * module_px)


def code128(text: str) -> Image.Image:
    """Code 128 of `text`; a GS1-128 when it starts with FNC1 (`\\xf1`), which also separates fields."""
    return _linear(Code128(text, barWidth=1, barHeight=60, quiet=1, lquiet=12, rquiet=12))


def code39(text: str) -> Image.Image:
    """Code 39 of `text` with no check character of its own (HIBC carries its own)."""
    return _linear(Standard39(text, barWidth=1, ratio=3, barHeight=60, checksum=0, stop=1, quiet=1, lquiet=12,
                              rquiet=12))  # fmt: skip


def _linear(symbol) -> Image.Image:
    """Whole pixels per module, as wide as fits the frame (a scaled bar code loses its bars)."""
    symbol._calculate()
    module_px = min(3, int((SIZE[0] - 40) // symbol._width))
    if module_px < 2:  # one pixel a module does not survive the camera path
        raise ValueError(f"{symbol.value!r} is too long for a bar code in the frame: shorten it")
    return _painted(symbol, module_px, 120)


def _quiet(image: Image.Image, margin: int) -> Image.Image:
    framed = Image.new("L", (image.width + 2 * margin, image.height + 2 * margin), 255)
    framed.paste(image, (margin, margin))
    return framed


def frame(label: Image.Image | None = None, blur: float = 0) -> Image.Image:
    """A camera frame: the label centred on a light tray; blurred if asked. (ZXing's 1D
    readers binarize a row by its histogram: a dark surround fills the frame, they miss.)"""
    shot = Image.new("RGB", SIZE, (226, 223, 216))
    if label is not None:
        if label.width > SIZE[0] - 20 or label.height > SIZE[1] - 20:
            raise ValueError(f"a {label.width}×{label.height} label does not fit the frame: shorten its data")
        shot.paste(label.convert("RGB"), ((SIZE[0] - label.width) // 2, (SIZE[1] - label.height) // 2))
    return shot.filter(ImageFilter.GaussianBlur(blur)) if blur else shot


@dataclass(frozen=True)
class Scene:
    """What the camera sees for `seconds`; `text` is what a decoder should read ('' none)."""

    image: Image.Image
    seconds: float
    text: str = ""


def write_y4m(path: Path, scenes: list[Scene], fps: int = FPS) -> list[tuple[float, float, str]]:
    """Write the video (4:2:0, full-range as JPEG); return each scene's (start s, end s, text)."""
    timeline, at = [], 0.0
    width, height = SIZE
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for scene in scenes:
            luma, blue, red = scene.image.convert("YCbCr").split()
            half = (width // 2, height // 2)
            data = b"FRAME\n" + luma.tobytes() + blue.resize(half, Image.BOX).tobytes() + red.resize(half, Image.BOX).tobytes()
            frames = max(1, round(scene.seconds * fps))
            out.write(data * frames)
            timeline.append((at, at + frames / fps, scene.text))
            at += frames / fps
    return timeline
