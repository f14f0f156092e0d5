"""The case page: header (number, status, facility, surgeon...) and its tabs."""

import reflex as rx

from .. import routes
from ..components.layout import TOUCH, status_badge
from ..components.price_badge import prices_edited_badge
from .activity import ActivityState, activity_tab
from .base import AuthState
from .case_details.dialogs import header_actions, notices
from .case_state import CaseState
from .devices_used import DevicesState, devices_used_tab
from .replenishment import ReplenishmentState
from .share import ShareState, share_tab
from .share_revisions import RevisionsState
from .sign_submit import SignState, sign_submit_tab
from .sign_submit.invoice_state import InvoiceState
from .template import signed_in_page


class CaseTabsState(CaseState):
    """Opening a tab (`CaseState.tab`; the case page opens on Devices Used, set by its load). A
    tab's data loads when it is opened, so the page shows Devices Used without waiting for
    signatures, shares and activity."""

    @rx.event
    def open_tab(self, tab: str):
        self.tab = tab if tab in ("devices", "sign", "share", "activity") else "devices"
        return {
            "devices": [DevicesState.refresh],
            "sign": [SignState.load, ReplenishmentState.load, InvoiceState.load],
            "share": [ShareState.load, RevisionsState.load],
            "activity": [ActivityState.load],
        }[self.tab]


def fact(label: str, value: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", weight="medium"),
        rx.text(value, size="2", weight="medium"),
        spacing="0",
        min_width="0",
    )


def case_header() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading(CaseState.number, size="7", id="case-number"),
            status_badge(CaseState.status, CaseState.status_label),
            prices_edited_badge(DevicesState.prices_edited, id="case-prices-edited"),
            header_actions(),
            align="center",
            gap="12px",
            wrap="wrap",
        ),
        rx.grid(
            fact("Facility", CaseState.facility),
            fact("Surgeon", CaseState.surgeon),
            fact("Procedure", CaseState.procedure),
            fact("Surgery date", CaseState.surgery_date + rx.cond(CaseState.surgery_time != "", " " + CaseState.surgery_time, "")),
            fact("Sales Rep", CaseState.rep),
            fact("Patient", CaseState.patient_ref),
            rx.cond(CaseState.facility_case_number != "", fact("Facility case #", CaseState.facility_case_number)),
            columns=rx.breakpoints(initial="2", sm="3", lg="6"),
            gap="12px",
            margin_top="12px",
        ),
        width="100%",
    )


def not_found_view() -> rx.Component:
    return rx.callout(
        CaseState.not_found,
        icon="circle-alert",
        color_scheme="red",
        size="3",
        margin_top="24px",
        id="case-not-found",
    )


def tab_trigger(label: str, value: str) -> rx.Component:
    """Every tab is a Tab stop (not only the open one, as in a roving tab list), so a keyboard
    reaches each with Tab and opens it with Enter or Space; the arrow keys still move along."""
    return rx.tabs.trigger(label, value=value, min_height=TOUCH, padding_x="16px", custom_attrs={"tabIndex": 0})


@signed_in_page(routes.CASE, "Case", on_load=[DevicesState.load])
def case_page() -> rx.Component:
    return (
        rx.link(
            rx.cond(AuthState.is_manager, "← All cases", "← My cases"),
            href=routes.HOME,
            size="2",
            display="inline-flex",
            min_height=TOUCH,
            align_items="center",
        ),
        rx.cond(
            CaseState.not_found != "",
            not_found_view(),
            rx.vstack(
                case_header(),
                notices(),
                rx.tabs.root(
                    rx.tabs.list(
                        tab_trigger("Devices Used", "devices"),
                        tab_trigger("Sign & Submit", "sign"),
                        rx.cond(CaseState.status != "open", tab_trigger("Share", "share")),
                        tab_trigger("Activity", "activity"),
                        size="2",
                    ),
                    rx.tabs.content(devices_used_tab(), value="devices", padding_top="16px"),
                    rx.tabs.content(sign_submit_tab(), value="sign", padding_top="16px"),
                    rx.tabs.content(share_tab(), value="share", padding_top="16px"),
                    rx.tabs.content(activity_tab(), value="activity", padding_top="16px"),
                    value=CaseState.tab,
                    on_change=CaseTabsState.open_tab,
                    activation_mode="manual",  # passing over a tab with Tab does not open it
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
    )
