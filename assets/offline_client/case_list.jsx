// Closeout offline: the cases stored on this tablet, each with when it was downloaded, its
// waiting changes and an "Open offline" link (shown on the home page and the offline screen).
import { Badge, Button, Callout, Flex, Text } from "@radix-ui/themes";
import { db, mine, useLive } from "./db.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-06-15" -> "Jun 15, 2026" (a calendar date: no time zone moves it). */
export const dateText = (iso) => {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return `${MONTHS[m - 1]} ${d}, ${y}`;
};

/** An instant, in this tablet's time: "Jun 15, 2:05 PM". */
export const whenText = (iso) =>
  iso ? new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }) : "";

export const offlineUrl = (number) => `/offline#${encodeURIComponent(number)}`;

/** The signed-in user's stored cases with their waiting changes (a case whose copy is gone but
 * whose changes or conflicts still wait is listed as a stub), and how many rows other users left. */
export function useStoredCases() {
  return useLive(async () => {
    const [cases, outbox, conflicts, user] = await Promise.all([db.cases.orderBy("number").toArray(), db.outbox.toArray(), db.conflicts.toArray(), db.meta.get("user")]);
    const uid = user?.id ?? null;
    const waiting = new Map();
    for (const change of mine(outbox, uid)) waiting.set(change.case, (waiting.get(change.case) ?? 0) + 1);
    const known = new Set(cases.map((item) => item.number));
    for (const conflict of mine(conflicts, uid)) if (!known.has(conflict.case)) waiting.set(conflict.case, waiting.get(conflict.case) ?? 0);
    const listed = [...cases, ...[...waiting.keys()].filter((n) => !known.has(n)).map(stubCase)];
    listed.sort((a, b) => (a.surgery_date + a.number).localeCompare(b.surgery_date + b.number));
    const others = outbox.length + conflicts.length - mine(outbox, uid).length - mine(conflicts, uid).length;
    return Object.assign(listed.map((item) => ({ ...item, waiting: waiting.get(item.number) ?? 0 })), { others });
  }, [], null);
}

/** A case known only by its waiting changes (its copy expired or was deleted). */
export const stubCase = (number) => ({ number, stub: true, editable: false, status: "open", lines: [], catalog: [], facility: { name: "" }, surgeon: "", procedure: "", surgery_date: "" });

/** Shown to the signed-in user when someone else's unsynced changes wait on this tablet. */
export function OthersWaiting({ count }) {
  if (!count) return null;
  return (
    <Callout.Root color="amber" size="1" id="offline-others">
      <Callout.Text>Changes made offline by another user are waiting on this tablet; they are sent when that user signs in again.</Callout.Text>
    </Callout.Root>
  );
}

export function CaseList({ cases }) {
  if (!cases?.length) return <Text size="2" color="gray">No cases on this tablet yet.</Text>;
  return (
    <Flex direction="column" gap="2" className="offline-case-list">
      {cases.map((item) => (
        <Flex key={item.number} className="offline-case" align="center" gap="3" wrap="wrap" p="2">
          <Flex direction="column" gap="1" style={{ flex: "1 1 260px", minWidth: 0 }}>
            <Flex gap="2" align="center" wrap="wrap">
              <Text weight="bold">{item.number}</Text>
              <Text size="2">{dateText(item.surgery_date)}</Text>
              {item.waiting > 0 && <Badge color="amber">{item.waiting} waiting to sync</Badge>}
            </Flex>
            {item.stub && !item.facility?.name ? null : <Text size="2">{item.facility.name} · {item.surgeon} · {item.procedure}</Text>}
            <Text size="1" color="gray">
              {item.stub ? "Offline copy expired: only its waiting changes are kept" : `Downloaded ${whenText(item.stored_at)} · available offline until ${whenText(item.expires_local)}`}
            </Text>
          </Flex>
          <Button asChild size="3" variant="soft" className="touch">
            <a href={offlineUrl(item.number)} aria-label={`Open ${item.number} offline`}>Open offline</a>
          </Button>
        </Flex>
      ))}
    </Flex>
  );
}
