"""A file drop zone whose file input has a name: Reflex's `rx.upload.root` renders react-dropzone's
hidden <input type=file> with no label, which screen readers announce as an unnamed control
(axe: "Form elements must have labels")."""

import reflex as rx
from reflex_components_core.el.elements.forms import Input


def _file_inputs(component: rx.Component):
    for child in component.children:
        if isinstance(child, Input):
            yield child
        yield from _file_inputs(child)


def labelled_upload(*children: rx.Component, label: str, **props) -> rx.Component:
    """`rx.upload.root(*children, **props)` with `label` as its file input's accessible name."""
    zone = rx.upload.root(*children, **props)
    for field in _file_inputs(zone):
        field.custom_attrs["aria-label"] = label
    return zone
