// Closeout: Workbox's generateSW over the production build (run by closeout/offline_shell.py
// from .web, where workbox-build is installed). The options arrive as JSON on stdin; the ones
// Workbox wants as regular expressions or functions are made here.
const { createRequire } = require("node:module");
const path = require("node:path");

const fromWeb = createRequire(path.join(process.cwd(), "package.json"));
const { generateSW } = fromWeb("workbox-build");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { skip, ...options } = JSON.parse(input);
  const skipped = new Set(skip);
  const config = {
    ...options,
    dontCacheBustURLsMatching: new RegExp(options.dontCacheBustURLsMatching),
    navigateFallbackDenylist: options.navigateFallbackDenylist.map((source) => new RegExp(source)),
    ignoreURLParametersMatching: options.ignoreURLParametersMatching.map((source) => new RegExp(source)),
    manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => !skipped.has(e.url)), warnings: [] })],
  };
  try {
    const { count, size, warnings } = await generateSW(config);
    warnings.forEach((warning) => console.error(`generateSW: ${warning}`));
    console.log(`Service worker: ${count} files precached (${(size / 1e6).toFixed(1)} MB), ${skipped.size} icon chunks left to the network`);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
});
