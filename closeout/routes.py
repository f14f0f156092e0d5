"""Routes as constants, and the helpers that build links to them."""

HOME = "/"
CASE = "/cases/[case_ref]"
REPLENISHMENT = "/replenishment"
SIGN = "/sign/[link_token]"
LOGIN = "/login"
CONSOLE = "/console"
DASHBOARD = "/console/dashboard"


def case_url(number: str) -> str:
    return f"/cases/{number}"


# HTTP routes beside the Reflex app (closeout/api.py): files, never from a public folder.
SALES_ORDER_PDF = "/sales-orders/{case_number}.pdf"
SHARED_COPY_PDF = "/sales-orders/shared/{share_id:int}.pdf"
CONSOLE_CSV = "/console/export.csv"


def sales_order_url(number: str) -> str:
    return SALES_ORDER_PDF.format(case_number=number)


def shared_copy_url(share_id: int) -> str:
    return SHARED_COPY_PDF.replace(":int", "").format(share_id=share_id)
