"""Scan with camera: a sheet over Devices Used with the rear camera's preview. Label after
label without closing it; each read takes the keyboard wedge's path (ScanMixin.camera_read).
When the camera cannot open, the sheet says why and the keyboard scan field is still there."""

import reflex as rx

from ...components.camera_scanner import CameraScanner
from ...components.layout import TOUCH
from .state import DevicesState


def _outcome() -> rx.Component:
    """What the last label did: the refusal in red, else what was added or completed."""
    return rx.box(
        rx.cond(
            DevicesState.scan_error != "",
            rx.text(DevicesState.scan_error, color_scheme="red", size="3", role="alert", id="camera-error"),
            rx.cond(
                DevicesState.scan_note != "",
                rx.hstack(rx.icon("circle-check", size=20, color="var(--green-9)", flex_shrink="0"),
                          rx.text(DevicesState.scan_note, size="3", id="camera-note"), align="center", spacing="2"),
                rx.text("Hold a label inside the frame.", size="3", color_scheme="gray"),
            ),
        ),
        min_height="28px",
        role="status",
    )  # fmt: skip


def _viewer() -> rx.Component:
    return rx.cond(
        DevicesState.camera_problem != "",
        rx.callout(DevicesState.camera_problem, icon="camera-off", color_scheme="amber", role="alert",
                   id="camera-problem", size="2", width="100%"),
        CameraScanner.create(
            accepted=DevicesState.scan_accepted,
            paused=DevicesState.scan_question != "",
            on_read=DevicesState.camera_read,
            on_trouble=DevicesState.camera_trouble,
        ),
    )  # fmt: skip


def camera_sheet() -> rx.Component:
    """The button that opens the sheet, and the sheet (opened in the browser: nothing to wait for)."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("camera"), "Scan with camera", variant="soft", size="3", min_height=TOUCH,
                      id="scan-camera"),
        ),  # no on_click on the button: Reflex would wrap it in a div that then carries aria-expanded
        rx.dialog.content(
            rx.flex(
                rx.dialog.title("Scan with camera", size="5", margin="0"),
                rx.spacer(),
                rx.dialog.close(rx.button("Done", size="3", min_height=TOUCH, min_width="88px", id="camera-done")),
                align="center", gap="12px", width="100%",
            ),
            rx.dialog.description("Point the rear camera at each label in turn: every label read goes on the case.",
                                  size="2", color_scheme="gray", margin_y="8px"),
            rx.vstack(
                _viewer(),
                rx.cond(DevicesState.camera_problem == "", _outcome()),
                rx.text(DevicesState.line_count, rx.cond(DevicesState.line_count == 1, " device line", " device lines"),
                        " on this case", size="2", color_scheme="gray", id="camera-line-count"),
                spacing="3", width="100%",
            ),
            width="100%", max_width="min(720px, calc(100vw - 24px))", padding="16px", id="camera-sheet",
        ),
        on_open_change=DevicesState.camera_opened,
    )  # fmt: skip
