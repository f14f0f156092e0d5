"""Routes as constants, and the helpers that build links to them."""

HOME = "/"
CASE = "/cases/[case_number]"


def case_url(number: str) -> str:
    return f"/cases/{number}"
