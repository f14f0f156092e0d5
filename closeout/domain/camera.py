"""What the tablet's camera decoded, made into what a keyboard-wedge scanner types, so one
path (barcodes.parse_scan and the scan service) takes both.

The browser's decoder (ZXing) returns the text and the symbology, not the symbology
identifier a wedge sends before a GS1 label. GS1 DataMatrix and GS1 QR start with FNC1,
which ZXing gives as a leading GS; that becomes `]d2` / `]Q3`, as a wedge sends it. GS1-128
already comes as `]C1` (the decoder is told ASSUME_GS1), its later FNC1s as GS. HIBC labels
(a leading `+`) pass as they are, whatever carries them.
"""

from .errors import InvalidInput

GS = "\x1d"
MAX_TEXT = 300  # as the wedge's form: parse_scan refuses a label longer than it reads
SYMBOLOGIES = {"DATA_MATRIX": "]d2", "QR_CODE": "]Q3", "CODE_128": "]C1", "CODE_39": ""}


def wedge_text(symbology: str, text: str) -> str:
    """The decoded `text` of a `symbology` as a wedge would type it; InvalidInput when the
    camera read a kind of bar code that no device label uses."""
    if symbology not in SYMBOLOGIES:
        raise InvalidInput("scan", "This kind of bar code is not a device label: scan the GS1 or HIBC label.")
    text = str(text)[:MAX_TEXT]
    if text.startswith(GS) and SYMBOLOGIES[symbology]:  # FNC1 first: a GS1 symbol
        return SYMBOLOGIES[symbology] + text[1:]
    return text


PROBLEMS = {
    "NotAllowedError": "The camera is blocked for this site. Allow the camera in the browser's settings for this "
    "page, then open the camera again — or close this and use the scan field.",
    "NotFoundError": "No camera was found on this device. Close this and use the scan field or the catalog search.",
    "NotReadableError": "The camera is in use by another app. Close that app and open the camera again.",
    "OverconstrainedError": "The camera cannot be opened with these settings. Open the camera again.",
    "insecure": "The camera only works over a secure connection (HTTPS). Ask your administrator to serve Closeout "
    "over HTTPS — until then, close this and use the scan field.",
}


def camera_problem(name: str) -> str:
    """A message for the rep about why the camera did not open (`name`: the browser's error name)."""
    if name == "SecurityError":
        return PROBLEMS["NotAllowedError"]
    return PROBLEMS.get(str(name), "The camera could not be opened. Close this and try again, or use the scan "
                        "field.")  # fmt: skip
