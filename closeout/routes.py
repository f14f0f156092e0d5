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
