// Closeout offline: the Provider Representative signs on the tablet (pad, printed name, title),
// vouching for the lines as shown, by their versions; queued as a "sign" change. The server keeps
// it only if those versions still match at sync, and computes the fingerprint itself. The Sales
// Rep's own signature needs the account's password or PIN, which never sits on the device.
import { Badge, Button, Card, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { CloudOff } from "lucide-react";
import { useRef, useState } from "react";
import SignatureCanvas from "react-signature-canvas";
import { queueSignature } from "./actions.js";
import { signerProblem } from "./checks.js";
import { rulesOf } from "./rules.js";
import { vouchedLines } from "./view.js";

// A CommonJS package: its default export may arrive wrapped once more.
const SignaturePad = SignatureCanvas.default ?? SignatureCanvas;

function Versions({ view }) {
  return (
    <Text size="1" color="gray" className="vouched-lines">
      Vouches for:{" "}
      {view.lines.filter((l) => !l.removed).map((l) => (l.id != null ? `#${l.shownPosition} ${l.ref ?? ""} v${l.version}` : `#${l.shownPosition} ${l.ref ?? "scan"} (new)`)).join(" · ") || "no lines"}
    </Text>
  );
}

export function Signatures({ pack, view, editable }) {
  const pad = useRef(null);
  const [name, setName] = useState("");
  const [title, setTitle] = useState("");
  const [error, setError] = useState("");
  const given = pack.signatures?.provider_rep;
  const waiting = view.signatures.find((s) => s.payload.role === "provider_rep");
  const sign = async () => {
    if (!pad.current || pad.current.isEmpty()) return setError("Sign on the pad first.");
    const problem = signerProblem(name, title, rulesOf(pack));
    if (problem) return setError(problem);
    setError("");
    await queueSignature(pack, { signerName: name.trim(), title: title.trim(), image: pad.current.getCanvas().toDataURL("image/png"), lines: vouchedLines(view) });
    pad.current.clear();
  };
  return (
    <Card size="2" id="offline-signatures">
      <Flex direction="column" gap="3">
        <Heading size="3" as="h2">Signatures</Heading>
        <Text size="2">
          <b>Sales Rep:</b> {pack.signatures?.sales_rep ? `signed by ${pack.signatures.sales_rep.signer_name}` : "Sign as the Sales Rep once back online (it needs your password or PIN)."}
        </Text>
        <Text size="2"><b>Provider Representative:</b> {given ? `signed by ${given.signer_name}${given.valid ? "" : " (no longer valid: lines changed)"}` : "not signed yet"}</Text>
        {waiting ? (
          <Flex gap="2" align="center" wrap="wrap" className="signature-waiting">
            <Badge color="amber" variant="solid"><CloudOff size={12} /> Signed offline by {waiting.payload.signer_name} ({waiting.payload.title}) — waiting to sync</Badge>
            <Text size="1" color="gray">Kept if the lines are still as signed when this tablet syncs.</Text>
          </Flex>
        ) : editable && !given?.valid && (
          <Flex direction="column" gap="2">
            <Versions view={view} />
            <div style={{ position: "relative", border: "1px solid var(--gray-7)", borderRadius: 8, overflow: "hidden", background: "white" }}>
              <SignaturePad ref={pad} penColor="rgb(17, 24, 62)" backgroundColor="rgb(255, 255, 255)"
                canvasProps={{ className: "sigpad offline-pad", style: { width: "100%", height: 180, touchAction: "none", display: "block" }, "aria-label": "Provider signature pad" }} />
            </div>
            <Flex gap="2" wrap="wrap">
              <TextField.Root size="3" value={name} onChange={(e) => setName(e.target.value)} placeholder="Printed name" aria-label="Provider's printed name" style={{ flex: "1 1 200px", minHeight: 44 }} />
              <TextField.Root size="3" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Title (RN, circulating nurse)" aria-label="Provider's title" style={{ flex: "1 1 200px", minHeight: 44 }} />
            </Flex>
            <Flex gap="2">
              <Button size="3" className="touch" onClick={sign} id="offline-sign">Sign as Provider Representative</Button>
              <Button size="3" variant="soft" color="gray" className="touch" onClick={() => pad.current?.clear()}>Clear</Button>
            </Flex>
            {error && <Text size="2" color="red" role="alert">{error}</Text>}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}
