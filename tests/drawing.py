"""Pictures the tests draw. Pillow only, no database: the domain tests use them too."""

import base64
import io

from PIL import Image, ImageDraw


def signature_data_url() -> str:
    """A small drawn-looking PNG as the signature pad sends it."""
    image = Image.new("RGBA", (200, 60), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 30), (60, 10), (110, 50), (190, 20)], fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
