// Closeout: scan labels with the tablet's camera (wrapped by closeout/components/camera_scanner.py).
//
// The rear camera's frames go to ZXing (@zxing/browser + @zxing/library: pure JavaScript, bundled
// with the app, nothing fetched at run time). A read leaves this file only as what the decoder
// returned after its own checks (Reed-Solomon, check digits): the raw text and the symbology,
// sent to the server, which parses it exactly as a keyboard-wedge scan. No parsing here.
//
// Continuous: label after label while the sheet is open. The same text seen again within
// REPEAT_MS of its last sighting is not sent again (a label held in view is sent once). Each read
// the server accepted (the `accepted` count goes up) beeps and vibrates. While `paused` (the
// server asks the rep a question), reads are seen but not sent.
import { useEffect, useRef, useState } from "react";
import { BrowserMultiFormatReader } from "@zxing/browser";
import { BarcodeFormat, ChecksumException, DecodeHintType, FormatException, NotFoundException } from "@zxing/library";

const REPEAT_MS = 3000;
const FORMATS = [BarcodeFormat.DATA_MATRIX, BarcodeFormat.CODE_128, BarcodeFormat.CODE_39, BarcodeFormat.QR_CODE];
const CONSTRAINTS = {
  audio: false,
  video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
};

function newReader() {
  const hints = new Map();
  hints.set(DecodeHintType.POSSIBLE_FORMATS, FORMATS);
  hints.set(DecodeHintType.ASSUME_GS1, true); // GS1-128: "]C1" first, later FNC1s as GS
  hints.set(DecodeHintType.TRY_HARDER, true);
  return new BrowserMultiFormatReader(hints, { delayBetweenScanAttempts: 60, delayBetweenScanSuccess: 60 });
}

let audio = null;

function beep() {
  try {
    audio = audio ?? new AudioContext();
    if (audio.state === "suspended") audio.resume(); // allowed once the rep has tapped the page
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 1800;
    volume.gain.setValueAtTime(0.2, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.12);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.12);
  } catch {
    // no sound on this device: the line on the screen says it all the same
  }
  navigator.vibrate?.(80);
}

const isFrameMiss = (error) =>
  error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException;

export function CameraScanner({ onRead, onTrouble, accepted = 0, paused = false, id }) {
  const video = useRef(null);
  const controls = useRef(null);
  const pausedNow = useRef(paused);
  const handlers = useRef({ onRead, onTrouble });
  const [torch, setTorch] = useState(null); // null: this camera has no torch
  pausedNow.current = paused;
  handlers.current = { onRead, onTrouble };

  useEffect(() => {
    let closed = false;
    const seen = new Map(); // text -> when it was last seen
    const trouble = (name) => handlers.current.onTrouble?.(name);
    const read = (result, error) => {
      if (closed) return;
      if (!result) {
        if (error && !isFrameMiss(error)) trouble("stopped");
        return;
      }
      const text = result.getText();
      const now = performance.now();
      const last = seen.get(text);
      seen.set(text, now);
      if (pausedNow.current || (last !== undefined && now - last < REPEAT_MS)) return;
      handlers.current.onRead?.(text, BarcodeFormat[result.getBarcodeFormat()]);
    };
    (async () => {
      if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) return trouble("insecure");
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
      } catch (error) {
        return trouble(error?.name || "unknown");
      }
      if (closed) return stream.getTracks().forEach((track) => track.stop());
      controls.current = await newReader().decodeFromStream(stream, video.current, read);
      if (closed) return controls.current.stop();
      const track = stream.getVideoTracks()[0];
      if (track?.getCapabilities?.().torch) setTorch(false);
    })().catch((error) => trouble(error?.name || "unknown"));
    return () => {
      closed = true;
      controls.current?.stop();
      controls.current = null;
    };
  }, []);

  const firstAccepted = useRef(accepted);
  useEffect(() => {
    if (accepted !== firstAccepted.current) beep();
  }, [accepted]);

  const switchTorch = async () => {
    const on = !torch;
    await controls.current?.switchTorch?.(on);
    setTorch(on);
  };

  return (
    <div className="camera-view" id={id}>
      <video ref={video} className="camera-video" muted playsInline autoPlay aria-label="Camera preview" />
      <div className="camera-aim" aria-hidden="true" />
      {torch !== null && (
        <button type="button" className="camera-torch" aria-pressed={torch} onClick={switchTorch}>
          {torch ? "Torch off" : "Torch on"}
        </button>
      )}
    </div>
  );
}
