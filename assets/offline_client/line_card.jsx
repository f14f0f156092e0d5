// Closeout offline: one device line as a card of inputs, each saved to the outbox on blur (or a
// choice), like the online Devices Used. Waiting changes are marked on the line.
import { Badge, Button, Card, Checkbox, Flex, Grid, IconButton, Select, Text, TextField } from "@radix-ui/themes";
import { CloudOff, ScanBarcode, Trash2 } from "lucide-react";
import { useState } from "react";
import { checkField, editLine, priceFields, removeLine } from "./actions.js";
import { usd, toCents } from "./money.js";
import { rulesOf } from "./rules.js";


function Field({ label, error, children, wide = false }) {
  return (
    <Flex direction="column" gap="1" style={{ minWidth: 0, gridColumn: wide ? "1 / -1" : undefined }}>
      <Text size="1" weight="medium" color="gray">{label}</Text>
      {children}
      {error && <Text size="1" color="red" role="alert">{error}</Text>}
    </Flex>
  );
}

function TextInput({ line, name, label, value, onSave, type = "text", readOnly = false, ...props }) {
  return (
    <TextField.Root key={`${name}-${value}`} size="3" type={type} defaultValue={value ?? ""} readOnly={readOnly}
      aria-label={`${label}, line ${line.shownPosition}`} style={{ minHeight: 44 }}
      onBlur={(e) => e.target.value !== String(value ?? "") && onSave(e.target.value)}
      onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()} {...props} />
  );
}

function PriceField({ pack, line, editable, mayEditPrices }) {
  const [typed, setTyped] = useState(null); // a price waiting for its reason
  const [error, setError] = useState("");
  const [other, setOther] = useState("");
  const save = (price, reason) => {
    const decided = priceFields(pack, line, price, reason);
    if (decided.error) {
      setTyped(price);
      setError(reason === undefined ? "" : decided.error);
      return;
    }
    setTyped(null);
    setError("");
    editLine(pack, line, decided.fields);
  };
  const onPrice = (raw) => {
    const checked = checkField("unit_price", raw, rulesOf(pack));
    if (checked.error) return setError(checked.error);
    if (toCents(checked.value) !== toCents(line.unit_price)) save(checked.value);
  };
  return (
    <Field label="Unit price" error={typed ? "" : error} wide={!!typed}>
      <TextInput line={line} name="unit_price" label="Unit price" value={typed ?? line.unit_price} onSave={onPrice}
        readOnly={!editable || !mayEditPrices} inputMode="decimal" style={{ minHeight: 44, maxWidth: typed ? 240 : undefined }} />
      {typed && (
        <Flex direction="column" gap="2" className="price-reasons">
          <Text size="1">Why does this price differ from the contract or list price?</Text>
          <Flex gap="2" wrap="wrap">
            {(rulesOf(pack)?.price_reason.usual ?? []).map((reason) => (
              <Button key={reason} size="2" variant="soft" className="touch" onClick={() => save(typed, reason)}>{reason}</Button>
            ))}
          </Flex>
          <Flex gap="2">
            <TextField.Root size="3" value={other} onChange={(e) => setOther(e.target.value)} placeholder="Another reason"
              aria-label={`Price reason, line ${line.shownPosition}`} style={{ flex: 1, minHeight: 44 }} />
            <Button size="3" className="touch" onClick={() => save(typed, other)}>Save</Button>
            <Button size="3" variant="soft" color="gray" className="touch" onClick={() => { setTyped(null); setError(""); }}>Cancel</Button>
          </Flex>
          {error && <Text size="1" color="red" role="alert">{error}</Text>}
        </Flex>
      )}
    </Field>
  );
}

function ScannedLine({ line }) {
  return (
    <Card size="2" className="offline-line scanned-line">
      <Flex gap="2" align="center" wrap="wrap">
        <ScanBarcode size={18} aria-hidden="true" />
        <Text weight="medium">
          Scanned: <span style={{ wordBreak: "break-all" }}>{line.scan.replaceAll("\x1d", "<GS>")}</span> — added when synced
        </Text>
        <Badge color="amber" variant="solid"><CloudOff size={12} /> Waiting to sync</Badge>
      </Flex>
    </Card>
  );
}

export function LineCard({ pack, line, editable, mayEditPrices }) {
  const [errors, setErrors] = useState({});
  if (line.scan) return <ScannedLine line={line} />;
  const canEdit = editable && !line.removed; // a line added offline too: its edits follow its add (actions.js)
  const save = (name) => (raw) => {
    const checked = checkField(name, raw, rulesOf(pack));
    setErrors({ ...errors, [name]: checked.error ?? "" });
    if (!checked.error) editLine(pack, line, { [name]: checked.value });
  };
  const label = (text) => `${text}, line ${line.shownPosition}`;
  return (
    <Card size="2" className={`offline-line${line.removed ? " removed" : ""}`} data-line={line.id ?? "new"}>
      <Flex direction="column" gap="3">
        <Flex gap="3" align="start">
          <Flex direction="column" gap="1" style={{ flex: 1, minWidth: 0 }}>
            <Flex gap="2" align="center" wrap="wrap">
              <Badge variant="outline" color="gray">#{line.shownPosition}</Badge>
              <Text weight="bold" className="line-ref">{line.ref}</Text>
              <Text size="2" color="gray">{line.manufacturer}</Text>
            </Flex>
            <Text size="2">{line.description}</Text>
            <Flex gap="2" wrap="wrap">
              {line.price_source === "edited" && <Badge color="amber">Price edited</Badge>}
              {line.usage_status === "Unused" && <Badge color="gray">Not billed: unused</Badge>}
              {line.no_charge && line.usage_status !== "Unused" && <Badge color="gray">No charge</Badge>}
              {line.scan_warning && <Badge color="amber">{line.scan_warning}</Badge>}
              {line.id == null && <Badge color="amber" variant="solid"><CloudOff size={12} /> Added offline — waiting to sync</Badge>}
              {line.id != null && line.pending.length > 0 && (
                <Badge color="amber" variant="solid" className="line-pending"><CloudOff size={12} /> {line.removed ? "Removed offline — waiting to sync" : "Changed offline — waiting to sync"}</Badge>
              )}
            </Flex>
          </Flex>
          <Flex direction="column" align="end">
            <Text weight="bold" size="4" className="line-extended">{usd(line.extended_cents)}</Text>
            <Text size="1" color="gray" style={{ whiteSpace: "nowrap" }}>{line.quantity} × {usd(toCents(line.unit_price))}</Text>
          </Flex>
          {canEdit && (
            <IconButton size="3" variant="ghost" color="red" aria-label={`Remove line ${line.shownPosition}`} style={{ minWidth: 44, minHeight: 44 }}
              onClick={() => removeLine(pack, line)}><Trash2 size={18} /></IconButton>
          )}
        </Flex>
        {!line.removed && (
          <Grid columns={{ initial: "2", sm: "3", md: "4", lg: "7" }} gap="3">
            <Field label="Lot" error={errors.lot}><TextInput line={line} name="lot" label="Lot" value={line.lot} onSave={save("lot")} readOnly={!canEdit} /></Field>
            <Field label="Serial" error={errors.serial}><TextInput line={line} name="serial" label="Serial" value={line.serial} onSave={save("serial")} readOnly={!canEdit} /></Field>
            <Field label="Expiry" error={errors.expiry}><TextInput line={line} name="expiry" label="Expiry" type="date" value={line.expiry} onSave={save("expiry")} readOnly={!canEdit} /></Field>
            <Field label="Quantity" error={errors.quantity}><TextInput line={line} name="quantity" label="Quantity" value={line.quantity} onSave={save("quantity")} readOnly={!canEdit} inputMode="numeric" /></Field>
            <Field label="Usage">
              <Select.Root size="3" value={line.usage_status} disabled={!canEdit} onValueChange={(v) => editLine(pack, line, { usage_status: v })}>
                <Select.Trigger aria-label={label("Usage status")} style={{ minHeight: 44, width: "100%" }} />
                <Select.Content>{(rulesOf(pack)?.usage_statuses ?? [line.usage_status]).map((s) => <Select.Item key={s} value={s} style={{ minHeight: 44 }}>{s}</Select.Item>)}</Select.Content>
              </Select.Root>
            </Field>
            <Field label="No charge">
              <Text as="label" size="2" style={{ display: "flex", alignItems: "center", gap: 8, minHeight: 44 }}>
                <Checkbox size="3" checked={!!line.no_charge} disabled={!canEdit} aria-label={label("No charge")}
                  onCheckedChange={(v) => editLine(pack, line, { no_charge: v === true })} /> No charge
              </Text>
            </Field>
            <PriceField pack={pack} line={line} editable={canEdit} mayEditPrices={mayEditPrices} />
            {line.price_source === "edited" && line.price_reason && <Field label="Price reason"><Text size="2">{line.price_reason}</Text></Field>}
          </Grid>
        )}
      </Flex>
    </Card>
  );
}
