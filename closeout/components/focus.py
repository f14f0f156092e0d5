"""Taking the user to a field on the screen: a script for `rx.call_script` that waits for the
element to be drawn (a dialog opening, a page of lines arriving), scrolls it into view and
puts the cursor in it. Built from ids the caller checked, never from user text."""

import json


def show_field(container_id: str, selector: str = "") -> str:
    """Scroll to the element `container_id` and focus it, or the first element matching
    `selector` inside it (e.g. `[data-field$=":lot"]`); retried for 2 s while it is not there."""
    return (
        "(() => { let tries = 0; const go = () => {"
        f" const box = document.getElementById({json.dumps(container_id)});"
        f" const target = box && ({json.dumps(selector)} ? box.querySelector({json.dumps(selector)}) : box);"
        " if (target) { box.scrollIntoView({block: 'center'}); target.focus({preventScroll: true}); }"
        " else if (tries++ < 40) setTimeout(go, 50); }; setTimeout(go, 50); })()"
    )
