"""The OpenAPI document of /api/v1 (served at /api/v1/openapi.json), written from the shapes
the handlers take and give (closeout/services/offline.py's pack and line, services/sync.py's
answers, api_v1.py's errors). Each route in api_v1.py is built from its entry in OPERATIONS,
so a route cannot exist without its description (tests/services/test_api_fuzz.py checks the
served document against the routes and fuzzes every operation with schemathesis)."""

from .domain.sync import API_VERSION, EDIT_FIELDS, MAX_CHANGES

COOKIE_AUTH = [{"session": []}]
_ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
_text = {"type": "string"}
_int = {"type": "integer"}
_money = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "a decimal amount, two places"}


def _obj(required: dict, optional: dict | None = None, **rest) -> dict:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}, **rest}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True} if "$ref" not in schema else {"allOf": [schema], "nullable": True}


SCHEMAS = {
    "Error": _obj({"api": {"type": "integer", "enum": [API_VERSION]}, "error": {**_text, "minLength": 1}},
                  description="Every refusal: a message written for the user."),
    "Line": _obj({
        "id": _int, "position": _int, "product_id": _int, "ref": _text, "description": _text, "manufacturer": _text,
        "gtin": _text, "lot": _text, "serial": _text, "expiry": _nullable({**_text, "format": "date"}),
        "quantity": _int, "usage_status": _text, "no_charge": {"type": "boolean"}, "unit_price": _money,
        "price_source": _text, "price_reason": _text, "version": _int, "extended": _money, "scan_warning": _text,
    }),  # fmt: skip
    "CatalogItem": _obj({"product_id": _int, "ref": _text, "description": _text, "manufacturer": _text, "gtin": _text,
                         "unit_price": _money, "price_source": _text}),  # fmt: skip
    "Signature": _nullable(_obj({"signer_name": _text, "valid": {"type": "boolean"}})),
    "Case": _obj(
        {
            "number": _text, "status": _text, "editable": {"type": "boolean"},
            "facility": _obj({"id": _int, "name": _text}), "surgeon": _text, "procedure": _text,
            "surgery_date": {**_text, "format": "date"}, "lines": {"type": "array", "items": _ref("Line")},
            "totals": _obj({"by_manufacturer": {"type": "array", "items": {"type": "array", "items": _text,
                                                                               "minItems": 2, "maxItems": 2}},
                            "grand_total": _money}),
            "signatures": {"type": "object", "additionalProperties": _ref("Signature")},
        },
        {"catalog": {"type": "array", "items": _ref("CatalogItem"), "description": "in the pack only"}},
    ),  # fmt: skip
    "Pack": _obj({
        "api": {"type": "integer", "enum": [API_VERSION]},
        "user": _obj({"id": _int, "name": _text, "may_edit_prices": {"type": "boolean"}}),
        "downloaded_at": {**_text, "format": "date-time"}, "expires_at": {**_text, "format": "date-time"},
        "refused": {"type": "array", "items": _text, "description": "picked case numbers that are not the rep's Open cases"},
        "cases": {"type": "array", "items": _ref("Case")},
    }),  # fmt: skip
    "Change": _obj(
        {"id": {**_text, "format": "uuid"}, "case": _text,
         "kind": {"type": "string", "enum": ["edit", "add", "scan", "remove", "sign"]}},
        {"made_at": {**_text, "format": "date-time"}, "line_id": _int, "version": _int, "product_id": _int,
         "fields": {"type": "object", "properties": {name: {} for name in EDIT_FIELDS}},
         "raw": _text, "symbology": _text, "confirm_expired": {"type": "boolean"}, "role": _text, "signer_name": _text,
         "title": _text, "image": _text, "lines": {"type": "array", "items": {"type": "array", "items": _int}}},
        description="One change the offline screen queued. Each item of a batch is answered on its own: one "
                    "that is not a valid change is answered 'refused', never the whole request.",
    ),  # fmt: skip
    "SyncRequest": _obj(
        {"changes": {"type": "array", "maxItems": MAX_CHANGES,
                     "items": {"anyOf": [_ref("Change"), {"description": "anything else: answered 'refused'"}]}}},
        {"user": _nullable({**_int, "description": "who queued the changes; another user's batch is refused (403)"})},
    ),  # fmt: skip
    "SyncResult": _obj({
        "id": _text, "result": {"type": "string", "enum": ["saved", "stale", "refused"]}, "message": _text,
        "line": _nullable(_ref("Line")), "case": _nullable(_ref("Case")),
        "on": _nullable({"type": "array", "items": _int, "minItems": 2, "maxItems": 2,
                         "description": "a saved edit: [line id, the version it was applied on]"}),
    }),  # fmt: skip
    "SyncAnswer": _obj({"api": {"type": "integer", "enum": [API_VERSION]},
                        "results": {"type": "array", "items": _ref("SyncResult")}}),  # fmt: skip
}


def _answers(ok: str, *refusals: int) -> dict:
    said = {400: "malformed input", 401: "no live session", 403: "another origin, a manager, another user's batch",
            429: "the account's stored sync answers are at their cap (the changes stay queued)",
            404: "no such route", 405: "method not allowed", 413: "body too large", 503: "database unavailable"}
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    return {"200": {"description": "OK", "content": {"application/json": {"schema": _ref(ok)}}},
            **{str(code): {"description": said[code], **error} for code in refusals}}  # fmt: skip


OFFLINE_CASES_DOC = {
    "get": {
        "summary": "The rep's cases for the offline screen",
        "security": COOKIE_AUTH,
        "parameters": [{"name": "cases", "in": "query", "required": False, "schema": _text,
                        "description": "comma-separated case numbers to add to the pack (at most 50)"}],
        "responses": _answers("Pack", 401, 403, 503),
    }
}  # fmt: skip

SYNC_DOC = {
    "post": {
        "summary": "Send the queued changes: each saved, stale or refused",
        "security": COOKIE_AUTH,
        "parameters": [{"name": "Origin", "in": "header", "required": True, "schema": {"type": "string", "enum": []},
                        "description": "the app's own origin (a POST without it is refused)"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("SyncRequest")}}},
        "responses": _answers("SyncAnswer", 400, 401, 403, 413, 429, 503),
    }
}  # fmt: skip

OPENAPI_DOC = {
    "get": {"summary": "This document", "responses": {"200": {"description": "OK",
                                                                "content": {"application/json": {"schema": {"type": "object"}}}}}},
}  # fmt: skip


def document(paths: dict[str, dict], origin: str) -> dict:
    """The OpenAPI 3.0 document for the routes' `paths` (their entries in api_v1.OPERATIONS), with
    the one Origin this server takes a POST from (domain of CLOSEOUT_PUBLIC_URL, else its own host)."""
    filled: dict[str, dict] = {}
    for path, operations in paths.items():
        for method, operation in operations.items():
            params = [{**p, "schema": {"type": "string", "enum": [origin]}} if p["name"] == "Origin" else p
                      for p in operation.get("parameters", [])]  # fmt: skip
            filled.setdefault(path, {})[method] = {**operation, **({"parameters": params} if params else {})}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Closeout offline API", "version": str(API_VERSION),
                 "description": "For the app's own offline screen: the session cookie of a signed-in sales rep, "
                                "requests from the app's own origin. Answers are JSON, never cached; every refusal "
                                "is an Error with a message for the user."},
        "paths": filled,
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "closeout_session"}}},
    }  # fmt: skip
