// Closeout offline: the home page's card (closeout/components/offline.py). Downloads the rep's
// cases for yesterday to tomorrow, or the ones named, into this tablet's offline database, and
// lists what is there. Renders from IndexedDB alone, so it works on a page reloaded offline.
import { Button, Callout, Card, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { CloudDownload, CloudOff } from "lucide-react";
import { useEffect, useState } from "react";
import { claimFor, storePack, useOwner } from "./db.js";
import { installGlobal } from "./global.js";
import { CaseList, OthersWaiting, useStoredCases } from "./case_list.jsx";
import { syncNow } from "./sync.js";

const CASE_NUMBERS = /CS-\d{4}-\d{6}/gi;

/** Sync first (a fresh copy must not overtake waiting changes), then download and store. */
async function download(named) {
  await syncNow();
  const query = named.length ? `?cases=${encodeURIComponent(named.join(","))}` : "";
  const response = await fetch(`/api/v1/offline/cases${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 403) throw new Error("Only Sales Reps take cases offline.");
  if (response.status === 401) throw new Error("Sign in again to download cases.");
  if (!response.ok) throw new Error(`The download failed (${response.status}). Try again.`);
  const pack = await response.json();
  await storePack(pack);
  return pack;
}

export function OfflineCard({ userId = 0 }) {
  const cases = useStoredCases();
  const [picked, setPicked] = useState("");
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState(null);
  const verified = useOwner(); // shown once the server said who is signed in (or offline)
  useEffect(() => void installGlobal(), []);
  useEffect(() => void claimFor(userId), [userId]);

  const run = async (named) => {
    setBusy(true);
    setNote(null);
    try {
      const pack = await download(named);
      const refused = pack.refused?.length ? ` Not available offline (only your own open cases): ${pack.refused.join(", ")}.` : "";
      setNote({ ok: true, text: `${pack.cases.length} ${pack.cases.length === 1 ? "case" : "cases"} available offline.${refused}` });
      setPicked("");
    } catch (error) {
      setNote({ ok: false, text: navigator.onLine ? error.message : "No connection: cases can be made available offline only while online." });
    } finally {
      setBusy(false);
    }
  };
  const named = [...new Set((picked.match(CASE_NUMBERS) ?? []).map((n) => n.toUpperCase()))];

  return (
    <Card size="2" id="offline-card" style={{ width: "100%" }}>
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3" wrap="wrap">
          <CloudOff size={20} aria-hidden="true" />
          <Heading size="4" as="h2">Offline in the OR</Heading>
          <Button size="3" className="touch" onClick={() => run([])} disabled={busy} id="make-offline" style={{ marginLeft: "auto" }}>
            <CloudDownload size={18} aria-hidden="true" /> Make today's cases available offline
          </Button>
        </Flex>
        <Text size="2" color="gray">
          Your open cases from yesterday to tomorrow, with their devices and prices, kept on this tablet for a day. Edits made
          offline are sent when the connection is back.
        </Text>
        <Flex gap="2" align="center" wrap="wrap">
          <TextField.Root size="3" value={picked} onChange={(e) => setPicked(e.target.value)} placeholder="More cases: CS-2026-000123, …"
            aria-label="Case numbers to make available offline" style={{ flex: "1 1 260px", minHeight: 44 }} id="offline-pick"
            onKeyDown={(e) => e.key === "Enter" && named.length && run(named)} />
          <Button size="3" variant="soft" className="touch" disabled={busy || !named.length} onClick={() => run(named)} id="offline-pick-add">
            Add to offline
          </Button>
        </Flex>
        {note && (
          <Callout.Root color={note.ok ? "green" : "red"} size="1" role="status" id="offline-note">
            <Callout.Text>{note.text}</Callout.Text>
          </Callout.Root>
        )}
        {cases !== null && verified && <CaseList cases={cases} />}
        {cases !== null && verified && <OthersWaiting count={cases.others} />}
      </Flex>
    </Card>
  );
}
