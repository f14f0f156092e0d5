// Closeout offline: a change the server did not take (the line moved on meanwhile, or it was
// refused), with both values. The server's value is what the screen shows until the rep chooses:
// "Keep mine" sends it again on the server's current version, "Take theirs" drops it.
import { Button, Callout, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { TriangleAlert } from "lucide-react";
import { keepMine, takeTheirs } from "./sync.js";

const LABELS = { lot: "Lot", serial: "Serial", expiry: "Expiry", quantity: "Quantity", usage_status: "Usage", no_charge: "No charge",
  unit_price: "Unit price", price_reason: "Price reason" };

const shown = (value) => (value === null || value === undefined || value === "" ? "—" : value === true ? "Yes" : value === false ? "No" : String(value));

function what(conflict) {
  const line = conflict.theirs;
  const name = line ? `line #${line.position} ${line.ref}` : "a line";
  switch (conflict.kind) {
    case "edit":
      return `Your change to ${name}`;
    case "remove":
      return `Removing ${name}`;
    case "scan":
      return `Scanned: ${String(conflict.payload.raw ?? "").replaceAll("\x1d", "<GS>")}`;
    case "sign":
      return `The signature of ${conflict.payload.signer_name}`;
    default:
      return "A device added offline";
  }
}

export function ConflictCard({ conflict }) {
  const fields = conflict.kind === "edit" ? Object.keys(conflict.payload.fields) : [];
  const canKeep = (conflict.kind === "edit" || conflict.kind === "remove") && conflict.theirs;
  const expiredScan = conflict.kind === "scan" && /Add it anyway\?/.test(conflict.message);
  return (
    <Card size="2" className="conflict-card" style={{ borderLeft: "4px solid var(--amber-9)" }}>
      <Flex direction="column" gap="2">
        <Flex gap="2" align="center">
          <TriangleAlert size={18} color="var(--amber-11)" aria-hidden="true" />
          <Text weight="bold">{what(conflict)} was {conflict.result === "stale" ? "not saved: the line was changed on the server meanwhile" : "not saved"}</Text>
        </Flex>
        {conflict.message && <Text size="2">{conflict.message}</Text>}
        {fields.length > 0 && (
          <Grid columns="3" gap="2" className="conflict-values" style={{ maxWidth: 560 }}>
            <Text size="1" color="gray" weight="medium">Field</Text>
            <Text size="1" color="gray" weight="medium">Mine</Text>
            <Text size="1" color="gray" weight="medium">On the server (shown now)</Text>
            {fields.map((field) => [
              <Text key={`${field}-l`} size="2">{LABELS[field] ?? field}</Text>,
              <Text key={`${field}-m`} size="2" weight="bold" className="mine">{shown(conflict.payload.fields[field])}</Text>,
              <Text key={`${field}-t`} size="2" className="theirs">{shown(conflict.theirs?.[field])}</Text>,
            ])}
          </Grid>
        )}
        <Flex gap="2" wrap="wrap">
          {canKeep && <Button size="3" className="touch" onClick={() => keepMine(conflict.id)}>Keep mine</Button>}
          {expiredScan && <Button size="3" color="amber" className="touch" onClick={() => keepMine(conflict.id, { confirm_expired: true })}>Add it anyway</Button>}
          <Button size="3" variant="soft" color="gray" className="touch" onClick={() => takeTheirs(conflict.id)}>
            {canKeep ? "Take theirs" : "Discard mine"}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

export function Conflicts({ conflicts }) {
  if (!conflicts.length) return null;
  return (
    <Flex direction="column" gap="2" id="offline-conflicts">
      <Callout.Root color="amber" size="1"><Callout.Text>{conflicts.length} {conflicts.length === 1 ? "change needs" : "changes need"} your choice.</Callout.Text></Callout.Root>
      {conflicts.map((conflict) => <ConflictCard key={conflict.id} conflict={conflict} />)}
    </Flex>
  );
}
