"""The offline client's pure modules (assets/offline_client: money, checks, batching, view,
rules) under `node --test` (tests/offline_client/*.test.mjs), with the rules the download
carries as the server builds them. A failure shows Node's own report."""

import json
import subprocess
import sys
from pathlib import Path

from closeout.domain.offline_rules import client_rules

ROOT = Path(__file__).resolve().parents[2]
NODE = Path(sys.executable).with_name("node")


def test_the_offline_clients_node_tests_pass(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(client_rules()))
    files = sorted(str(p) for p in (ROOT / "tests/offline_client").glob("*.test.mjs"))
    assert files, "no tests/offline_client/*.test.mjs"
    done = subprocess.run([str(NODE), "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={"PATH": str(NODE.parent), "CLOSEOUT_RULES": str(rules)})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
