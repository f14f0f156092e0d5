"""react-signature-canvas as a Reflex component, and the browser calls that read it.

The package is CommonJS, so it must be a NoSSRComponent (a plain Component fails the
production build). With `id="x"` the library instance is `refs['ref_x'].current`.
Without a fixed canvas width the library sizes the canvas to its CSS box (and the
device pixel ratio), so one pad fits a phone, a tablet and a desktop.
"""

import json

import reflex as rx


class SignatureCanvas(rx.NoSSRComponent):
    library = "react-signature-canvas@1.0.7"
    tag = "SignatureCanvas"
    is_default = True

    pen_color: rx.Var[str]
    background_color: rx.Var[str]
    canvas_props: rx.Var[dict]


def signature_pad(pad_id: str, label: str) -> rx.Component:
    """A white pad with a baseline, 180 px tall and as wide as its container."""
    return rx.box(
        SignatureCanvas.create(
            id=pad_id,
            pen_color="rgb(17, 24, 62)",
            background_color="rgb(255, 255, 255)",  # an opaque PNG, ready for the sales order
            canvas_props={
                "className": f"sigpad {pad_id}",
                "style": {"width": "100%", "height": "180px", "touchAction": "none", "display": "block"},
                "aria-label": label,
            },
        ),
        rx.box(position="absolute", left="16px", right="16px", bottom="36px",
               border_bottom="1px dashed var(--gray-8)", pointer_events="none"),  # fmt: skip
        position="relative", border="1px solid var(--gray-7)", border_radius="8px", overflow="hidden",
        background="white", width="100%",
    )  # fmt: skip


def read_pad(pad_id: str) -> str:
    """JS giving the pad's PNG as a data URL, or '' when nothing was drawn."""
    pad = f"refs[{json.dumps(f'ref_{pad_id}')}]?.current"
    return f"({pad} && !{pad}.isEmpty()) ? {pad}.getCanvas().toDataURL('image/png') : ''"


def clear_pad(pad_id: str) -> rx.event.EventSpec:
    return rx.call_script(f"refs[{json.dumps(f'ref_{pad_id}')}]?.current?.clear()")
