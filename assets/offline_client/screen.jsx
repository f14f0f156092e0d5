// Closeout offline: Devices Used for a case stored on this tablet, at /offline#<case number>
// (a static route, so the service worker has it; closeout/pages/offline.py hosts it). Everything
// here comes from IndexedDB; changes go to the outbox and sync when the connection is back.
import { Badge, Button, Callout, Card, Flex, Heading, Separator, Text } from "@radix-ui/themes";
import { CloudOff, RefreshCw, Wifi } from "lucide-react";
import { useEffect, useState } from "react";
import { AddDevices } from "./add_scan.jsx";
import { CaseList, dateText, OthersWaiting, stubCase, useStoredCases, whenText } from "./case_list.jsx";
import { Conflicts } from "./conflicts.jsx";
import { db, dropExpired, mine, useLive, useOwner } from "./db.js";
import { installGlobal } from "./global.js";
import { LineCard } from "./line_card.jsx";
import { usd } from "./money.js";
import { Signatures } from "./signature.jsx";
import { syncNow } from "./sync.js";
import { caseView } from "./view.js";

const caseFromHash = () => decodeURIComponent(window.location.hash.replace(/^#/, "")).toUpperCase();

function useCaseNumber() {
  const [number, setNumber] = useState(caseFromHash);
  useEffect(() => {
    const changed = () => setNumber(caseFromHash());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return number;
}

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => { window.removeEventListener("online", update); window.removeEventListener("offline", update); };
  }, []);
  return online;
}

function SyncBar({ waiting }) {
  const online = useOnline();
  const status = useLive(() => db.meta.get("sync"), [], null);
  const sending = waiting.filter((c) => c.state === "sending").length;
  return (
    <Card size="2" id="offline-sync">
      <Flex gap="3" align="center" wrap="wrap">
        <Badge size="2" color={online ? "green" : "gray"} highContrast>{online ? <Wifi size={14} /> : <CloudOff size={14} />} {online ? "Online" : "Offline"}</Badge>
        <Text size="2" id="offline-pending" weight="medium">
          {waiting.length === 0 ? "All changes synced" : `${waiting.length} ${waiting.length === 1 ? "change" : "changes"} waiting to sync`}
          {sending > 0 && ` (${sending} sending…)`}
        </Text>
        <Button size="3" className="touch" onClick={() => syncNow()} disabled={status?.running} id="offline-sync-now" style={{ marginLeft: "auto" }}>
          <RefreshCw size={16} /> {status?.running ? "Syncing…" : "Sync"}
        </Button>
      </Flex>
      {status?.error && waiting.length > 0 && <Text size="2" color="amber" as="p" mt="2" role="status">{status.error}</Text>}
    </Card>
  );
}

function Totals({ totals }) {
  return (
    <Card size="2" id="offline-totals">
      <Flex direction="column" gap="1">
        {totals.byManufacturer.map(([maker, cents]) => (
          <Flex key={maker} justify="between"><Text size="2">{maker}</Text><Text size="2">{usd(cents)}</Text></Flex>
        ))}
        <Separator size="4" my="1" />
        <Flex justify="between"><Text weight="bold">Billable total</Text><Text weight="bold" id="offline-grand-total">{usd(totals.grand)}</Text></Flex>
        <Text size="1" color="gray">{totals.billable} billable · {totals.noCharge} no charge · {totals.unused} unused. Scanned labels count once the server has read them.</Text>
      </Flex>
    </Card>
  );
}

function CaseScreen({ pack, outbox, conflicts, user, others }) {
  const view = caseView(pack, outbox, conflicts);
  const editable = pack.editable !== false && !pack.stub; // an expired copy only settles what waits
  return (
    <Flex direction="column" gap="3" id="offline-case">
      <Flex direction="column" gap="1">
        <Flex gap="3" align="center" wrap="wrap">
          <Heading size="6">{pack.number}</Heading>
          <Badge size="2" color="blue" highContrast>Open</Badge>
          <Badge size="2" color="gray" variant="outline"><CloudOff size={12} /> {pack.stub ? "Offline copy expired: its waiting changes are kept" : `Offline copy · downloaded ${whenText(pack.stored_at)}`}</Badge>
        </Flex>
        {pack.facility?.name && <Text size="2">{pack.facility.name} · {pack.surgeon} · {pack.procedure} · {dateText(pack.surgery_date)}</Text>}
      </Flex>
      <OthersWaiting count={others} />
      <SyncBar waiting={view.waiting} />
      <Conflicts conflicts={view.conflicts} />
      {editable && <AddDevices pack={pack} />}
      <Heading size="4" as="h2">Devices Used</Heading>
      {view.lines.length === 0 && <Text color="gray">No devices yet.</Text>}
      {view.lines.map((line) => (
        <LineCard key={line.id ?? line.change.id} pack={pack} line={line} editable={editable} mayEditPrices={!!user?.may_edit_prices} />
      ))}
      <Totals totals={view.totals} />
      <Signatures pack={pack} view={view} editable={editable} />
      <Callout.Root color="gray" size="1">
        <Callout.Text>Submit for Billing, Share and the Sales Rep's signature need the connection: do them once back online.</Callout.Text>
      </Callout.Root>
    </Flex>
  );
}

export function OfflineScreen() {
  const number = useCaseNumber();
  const [ready, setReady] = useState(false);
  const verified = useOwner(); // online, nothing is shown before the server said who is signed in
  useEffect(() => {
    installGlobal();
    document.documentElement.setAttribute("data-offline-screen", "");
    dropExpired().then(() => setReady(true));
    return () => document.documentElement.removeAttribute("data-offline-screen");
  }, []);
  const data = useLive(async () => {
    const [pack, outbox, conflicts, user] = await Promise.all([
      number ? db.cases.get(number) : null, db.outbox.orderBy("seq").toArray(), db.conflicts.toArray(), db.meta.get("user")]);
    const uid = user?.id ?? null;
    const own = { outbox: mine(outbox, uid), conflicts: mine(conflicts, uid) };
    const others = outbox.length + conflicts.length - own.outbox.length - own.conflicts.length;
    const known = pack ?? ([...own.outbox, ...own.conflicts].some((c) => c.case === number) ? stubCase(number) : null);
    return { pack: known, ...own, user, others };
  }, [number], null);
  const cases = useStoredCases();
  if (!ready || !verified || data === null) return <Text color="gray">Opening the offline copy…</Text>;
  if (data.pack) return <CaseScreen {...data} />;
  return (
    <Flex direction="column" gap="3" id="offline-cases">
      <Heading size="6">Cases available offline</Heading>
      {number && <Callout.Root color="amber"><Callout.Text>{number} is not on this tablet (or its offline copy expired after a day).</Callout.Text></Callout.Root>}
      <OthersWaiting count={data.others} />
      <Card size="2"><CaseList cases={cases} /></Card>
      <Text size="2" color="gray">Make cases available offline from the home page while online.</Text>
    </Flex>
  );
}
