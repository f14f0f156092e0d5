// The `rules` of the offline download as the server builds them (domain/offline_rules.py): from
// the file tests/domain/test_offline_client.py writes, or asked of the venv's Python when these
// tests are run by hand (`node --test tests/offline_client/`).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = process.env.CLOSEOUT_PYTHON ?? "python3";
const program = "import json; from closeout.domain.offline_rules import client_rules; print(json.dumps(client_rules()))";

export const RULES = JSON.parse(
  process.env.CLOSEOUT_RULES ? readFileSync(process.env.CLOSEOUT_RULES, "utf8") : execFileSync(python, ["-c", program], { cwd: root, encoding: "utf8" }),
);

export const client = (name) => new URL(`../../assets/offline_client/${name}`, import.meta.url).href;
