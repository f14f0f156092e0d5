"""Routes as constants, and the helpers that build links to them."""

HOME = "/"
CASE = "/cases/[case_ref]"
NEW_CASE = "/new-case"
REPLENISHMENT = "/replenishment"
SIGN = "/sign/[link_token]"
LOGIN = "/login"
CONSOLE = "/console"
DASHBOARD = "/console/dashboard"
DIRECTORY = "/directory"
DIRECTORY_NEW = "/directory/new"
FACILITY = "/directory/facility/[facility_ref]"
CATALOG = "/catalog"
USERS = "/users"
USER = "/users/[user_id]"
ACCOUNT = "/account"
INVITATION = "/invitation/[invitation_token]"
OFFLINE = "/offline"  # the offline Devices Used: /offline#<case number> (static, so the service worker has it)
PO_LINK = "/po/[po_token]"  # the facility's buyer enters the PO here, without an account
SESSION = "/auth/session"  # spends a one-time sign-in code: sets the HttpOnly session cookie (session_routes.py)
SIGNED_OUT = "/auth/signed-out"  # clears the session cookie, then the sign-in page


def case_url(number: str) -> str:
    return f"/cases/{number}"


def facility_url(facility_id: int | str) -> str:
    return f"/directory/facility/{facility_id}"


def user_url(user_id: int | str) -> str:
    return f"/users/{user_id}"


def invitation_url(origin: str, token: str) -> str:
    """The full link a new user (or one resetting their password) opens."""
    return f"{origin.rstrip('/')}/invitation/{token}"


def po_link_url(origin: str, token: str) -> str:
    """The full link on a shared sales order (and its QR code) and in PO reminders."""
    return f"{origin.rstrip('/')}/po/{token}"


# HTTP routes beside the Reflex app (closeout/api.py): files, never from a public folder.
SALES_ORDER_PDF = "/sales-orders/{case_number}.pdf"
SHARED_COPY_PDF = "/sales-orders/shared/{share_id:int}.pdf"
SALES_ORDER_REVISION_PDF = "/sales-orders/{case_number}/revisions/{revision:int}.pdf"  # a kept (superseded) revision
PO_DOCUMENT_PDF = "/po-documents/{document_id:int}.pdf"  # a buyer's PO document, for who may see its case
CONSOLE_CSV = "/console/export.csv"
CONSOLE_LINES_CSV = "/console/lines.csv"  # one row per device line of the console's filtered cases
CATALOG_PRODUCTS_CSV = "/catalog/products.csv"  # the catalog, in the products import format
CATALOG_PRICES_CSV = "/catalog/prices.csv"  # every contract price, in the price list import format


def sales_order_url(number: str) -> str:
    return SALES_ORDER_PDF.format(case_number=number)


def sales_order_revision_url(number: str, revision: int) -> str:
    return SALES_ORDER_REVISION_PDF.replace(":int", "").format(case_number=number, revision=revision)


def shared_copy_url(share_id: int) -> str:
    return SHARED_COPY_PDF.replace(":int", "").format(share_id=share_id)


def po_document_url(document_id: int) -> str:
    return PO_DOCUMENT_PDF.replace(":int", "").format(document_id=document_id)
