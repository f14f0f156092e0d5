"""The camera scanner (assets/camera_scanner.jsx) as a Reflex component: the rear camera's
preview, decoded in the browser by ZXing, each read handed to `on_read(text, symbology)`.

ZXing is pinned here (and so in reflex.lock): pure JavaScript, bundled by the app's build,
so nothing is fetched from elsewhere at run time. A NoSSRComponent: it is loaded in the
browser only when the sheet opens, so the case page does not carry the decoder."""

import reflex as rx
from reflex.event import passthrough_event_spec


class CameraScanner(rx.NoSSRComponent):
    library = "$/public/camera_scanner.jsx"  # assets/ is the build's public/
    tag = "CameraScanner"
    lib_dependencies: list[str] = ["@zxing/browser@0.2.1", "@zxing/library@0.23.0"]

    accepted: rx.Var[int]  # reads the server accepted: each new one beeps and vibrates
    paused: rx.Var[bool]  # reads are not sent while the server waits for an answer

    on_read: rx.EventHandler[passthrough_event_spec(str, str)]  # (text, symbology)
    on_trouble: rx.EventHandler[passthrough_event_spec(str)]  # the browser's error name
