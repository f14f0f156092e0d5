// Closeout offline: add devices without the server. Search the stored catalog (REF, description,
// GTIN), or scan: a keyboard-wedge scanner types into the Scan field and ends with Enter; the
// camera (the app's own ZXing scanner, assets/camera_scanner.jsx, bundled) reads labels too. A scan
// is queued as its raw text: the server parses it at sync, one parsing path for every scan.
import { Button, Card, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { Camera, Plus, ScanBarcode, Search } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { addProduct, queueScan, searchCatalog } from "./actions.js";
import { usd, toCents } from "./money.js";

const CameraScanner = lazy(() => import("../camera_scanner.jsx").then((m) => ({ default: m.CameraScanner })));

function ScanField({ pack }) {
  const [queued, setQueued] = useState(0);
  const [camera, setCamera] = useState(false);
  const [trouble, setTrouble] = useState("");
  const take = async (raw, symbology) => {
    if (!raw.trim()) return;
    await queueScan(pack, raw, symbology);
    setQueued((n) => n + 1);
  };
  return (
    <Flex direction="column" gap="2">
      <Flex gap="2" align="center" wrap="wrap">
        <TextField.Root size="3" id="offline-scan" placeholder="Scan a label" aria-label="Scan" autoComplete="off" style={{ flex: "1 1 240px", minHeight: 44 }}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            e.preventDefault();
            const raw = e.currentTarget.value;
            e.currentTarget.value = "";
            take(raw, "keyboard");
          }}>
          <TextField.Slot><ScanBarcode size={18} /></TextField.Slot>
        </TextField.Root>
        <Button size="3" variant="soft" className="touch" onClick={() => { setTrouble(""); setCamera(!camera); }} id="offline-camera">
          <Camera size={18} /> {camera ? "Close camera" : "Scan with camera"}
        </Button>
      </Flex>
      <Text size="1" color="gray">Scanned labels are read by the server when this tablet syncs; the line shows as “Scanned” until then.</Text>
      {camera && (
        <Suspense fallback={<Text size="2">Opening the camera…</Text>}>
          <CameraScanner accepted={queued} paused={false} onRead={take}
            onTrouble={(name) => setTrouble(name === "insecure" ? "The camera needs the app over HTTPS." : `The camera is not available (${name}).`)} />
        </Suspense>
      )}
      {trouble && <Text size="2" color="red" role="alert">{trouble}</Text>}
    </Flex>
  );
}

function CatalogSearch({ pack }) {
  const [text, setText] = useState("");
  const found = searchCatalog(pack.catalog ?? [], text);
  return (
    <Flex direction="column" gap="2">
      <TextField.Root size="3" value={text} onChange={(e) => setText(e.target.value)} placeholder="Search the catalog by REF, description or GTIN"
        aria-label="Search the catalog" id="offline-catalog-search" style={{ minHeight: 44 }}>
        <TextField.Slot><Search size={18} /></TextField.Slot>
      </TextField.Root>
      {text && !found.length && <Text size="2" color="gray">No product in this case's catalog matches.</Text>}
      {found.map((product) => (
        <Flex key={product.product_id} align="center" gap="3" className="catalog-hit" p="1">
          <Flex direction="column" style={{ flex: 1, minWidth: 0 }}>
            <Text weight="bold" size="2">{product.ref} <Text weight="regular" color="gray">{product.manufacturer}</Text></Text>
            <Text size="2">{product.description}</Text>
          </Flex>
          <Text size="2" style={{ whiteSpace: "nowrap" }}>{usd(toCents(product.unit_price))} {product.price_source}</Text>
          <Button size="3" className="touch" aria-label={`Add ${product.ref}`} onClick={() => { addProduct(pack, product); setText(""); }}>
            <Plus size={16} /> Add
          </Button>
        </Flex>
      ))}
    </Flex>
  );
}

export function AddDevices({ pack }) {
  return (
    <Card size="2">
      <Flex direction="column" gap="3">
        <Heading size="3" as="h2">Add devices</Heading>
        <ScanField pack={pack} />
        <CatalogSearch pack={pack} />
      </Flex>
    </Card>
  );
}
