"""The facility form's "Before Submit for Billing" part: which case details the facility
requires, and what every implant line must carry. Ticked boxes travel with the form."""

import reflex as rx

from ...components.layout import TOUCH
from ...domain.readiness import REQUIREMENT_LABELS
from .facility_state import FacilityState

CASE_FLAGS = ("requires_case_number", "requires_patient_ref", "requires_procedure", "requires_surgery_time")
IMPLANT_FLAGS = ("implants_need_lot", "implants_need_serial", "implants_need_expiry")


def flag(name: str) -> rx.Component:
    """One requirement as a checkbox with its label (the whole row is the touch target)."""
    return rx.box(
        rx.checkbox(REQUIREMENT_LABELS[name], name=name, default_checked=FacilityState.values.get(name, "") == "on",
                    size="3", id=f"facility-{name.replace('_', '-')}"),
        min_height=TOUCH, display="flex", align_items="center",
    )  # fmt: skip


def group(title: str, hint: str, names: tuple[str, ...]) -> rx.Component:
    return rx.vstack(
        rx.text(title, size="2", weight="medium"),
        rx.text(hint, size="1", color_scheme="gray"),
        rx.flex(*[flag(name) for name in names], gap="4px 20px", wrap="wrap"),
        spacing="1", width="100%",
    )  # fmt: skip


def billing_requirements() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Before Submit for Billing", class_name="rt-Text rt-r-size-3 rt-r-weight-bold"),
        rx.vstack(
            group("Case details the facility requires", "Submit for Billing waits until each ticked detail is entered.",
                  CASE_FLAGS),
            group("Every implant line needs", "Usage status Implanted. Without a tick, an implant needs a lot or a "
                  "serial number, as at every facility.", IMPLANT_FLAGS),
            spacing="3", width="100%",
        ),
        id="facility-requirements", border="1px solid var(--gray-6)", border_radius="8px", padding="12px 16px",
        grid_column="1 / -1", min_width="0",
    )  # fmt: skip
