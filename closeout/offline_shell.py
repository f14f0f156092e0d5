"""The installable, cached shell (issue 17): a Reflex plugin whose post-build hook, after Vite
has written the production build, draws the home-screen icons and runs Workbox's `generateSW`
over the built output, so `/`, the case screens and the offline screen open with no network.

Precached: every page's HTML and every chunk and stylesheet, except the one-time pages (signing,
PO and invitation links) and the ~1,700 Lucide icon chunks that only the dynamic-icon map of
`rx.icon(<var>)` can load (each would be fetched at install for nothing). Nothing else is cached
at run time: no API, PDF, CSV, upload or event route ever reaches a cache. A new worker does
not skip waiting by itself: the page tells it to only when no change waits to sync
(assets/service_worker.jsx)."""

import json
import re
import subprocess
from pathlib import Path

import reflex as rx

WORKBOX_BUILD = "workbox-build@7.4.1"  # pinned (and so in reflex.lock); a build tool, not shipped
SCRIPT = Path(__file__).with_name("offline_shell.cjs")
THEME = "#3358d4"  # the top bar's indigo
ICONS = {"icon-192.png": 192, "icon-512.png": 512, "icon-maskable-512.png": 512, "apple-touch-icon.png": 180}
# Navigations the shell must never answer from the cache (served by the server or not at all).
NEVER_FROM_CACHE = [r"^/api/", r"^/auth/", r"^/_event", r"^/_upload", r"^/_health", r"^/ping", r"^/sign/",
                    r"^/po/", r"^/po-documents/", r"^/invitation/", r"^/sales-orders/", r"\.pdf(\?|$)", r"\.csv(\?|$)", r"^/sw\.js$"]  # fmt: skip
NOT_PRECACHED = ["404.html", "sign/**", "po/**", "invitation/**", "**/*.gz", "**/*.map", "*.jsx", "sw.js",
                 "offline_client/**"]  # the offline screen's sources: the build bundles them into chunks
_CHUNK = re.compile(r"[\w.\[\]$-]+\.(?:js|css)")
_HASHED = re.compile(r"^(?P<name>.+)-[\w-]{8}\.js$")


def icon_only_chunks(assets: Path, icon_names: set[str]) -> list[str]:
    """Lucide icon chunks referenced by nothing but the dynamic-icon map (a chunk naming
    hundreds of icon chunks). An icon a page imports by name is referenced by that page's
    chunk too, so it stays; so do lazily loaded components living beside the map."""
    files = {p.name for p in assets.iterdir() if p.suffix in (".js", ".css")}
    referrers: dict[str, set[str]] = {name: set() for name in files}
    maps = set()
    for name in files:
        if name.endswith(".js"):
            found = {m for m in _CHUNK.findall((assets / name).read_text(errors="replace")) if m in files and m != name}
            for target in found:
                referrers[target].add(name)
            if sum(1 for t in found if _icon_name(t) in icon_names) > 300:
                maps.add(name)
    return sorted(f"assets/{n}" for n, by in referrers.items() if by and by <= maps and _icon_name(n) in icon_names)


def _icon_name(filename: str) -> str | None:
    match = _HASHED.match(filename)
    return match["name"] if match else None


def lucide_icon_names(web_dir: Path) -> set[str]:
    icons = web_dir / "node_modules" / "lucide-react" / "dist" / "esm" / "icons"
    return {p.name.removesuffix(".mjs") for p in icons.glob("*.mjs")} if icons.is_dir() else set()


def draw_icon(size: int, maskable: bool = False):
    """The app's mark (a clipboard with a check) in white on the top bar's indigo, drawn here so
    nothing is fetched; a maskable icon keeps the mark within the central safe zone."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), THEME)
    draw = ImageDraw.Draw(image)
    inset = size * 0.14 if maskable else 0
    unit = (size - 2 * inset) / 16

    def at(x: float, y: float) -> tuple[float, float]:
        return inset + x * unit, inset + y * unit

    stroke = max(2, round(unit))
    draw.rounded_rectangle([at(4, 3.2), at(12, 13.6)], radius=unit, outline="white", width=stroke)
    draw.rounded_rectangle([at(6, 2.2), at(10, 4.4)], radius=unit * 0.4, fill="white")
    draw.line([at(5.8, 8.6), at(7.5, 10.3), at(10.4, 7)], fill="white", width=stroke, joint="curve")
    return image


def draw_icons(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for filename, size in ICONS.items():
        draw_icon(size, maskable="maskable" in filename).save(folder / filename, optimize=True)


def workbox_config(static_dir: Path, skip: list[str]) -> dict:
    """generateSW's options (see offline_shell.cjs for the ones that are functions)."""
    return {
        "globDirectory": str(static_dir),
        "globPatterns": ["**/*.{html,js,css,ico,png,webmanifest}"],
        "globIgnores": NOT_PRECACHED,
        "skip": skip,  # taken out of the manifest by the script, not a Workbox option
        "swDest": str(static_dir / "sw.js"),
        "maximumFileSizeToCacheInBytes": 8 * 1024 * 1024,
        "dontCacheBustURLsMatching": r"^assets/",  # Vite's names carry their content hash
        "navigateFallback": "/__spa-fallback.html",
        "navigateFallbackDenylist": NEVER_FROM_CACHE,
        "directoryIndex": "index.html",
        "ignoreURLParametersMatching": [r"^utm_", r"^fbclid$"],
        "cleanupOutdatedCaches": True,
        "clientsClaim": True,  # a first visit is served offline without a reload; never replaces a running build
        "skipWaiting": False,
        "inlineWorkboxRuntime": True,
        "sourcemap": False,
        "mode": "production",
        "cacheId": "closeout",
    }


def installable_head() -> list[rx.Component]:
    """What makes the app installable from the browser (the manifest, assets/manifest.webmanifest)
    and its look once installed: the icon on an iPad's home screen, the bar's colour."""
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.meta(name="theme-color", content=THEME),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Closeout"),
    ]


class OfflineShellPlugin(rx.plugins.Plugin):
    """Workbox over the production build (see the module docstring)."""

    def get_frontend_development_dependencies(self, **context) -> list[str]:
        return [WORKBOX_BUILD]

    def post_build(self, **context) -> None:
        from reflex.utils import path_ops, prerequisites

        static_dir, web_dir = Path(context["static_dir"]).resolve(), prerequisites.get_web_dir().resolve()
        draw_icons(static_dir / "icons")
        skip = icon_only_chunks(static_dir / "assets", lucide_icon_names(web_dir))
        done = subprocess.run([path_ops.get_node_path() or "node", str(SCRIPT)], cwd=web_dir, capture_output=True,
                              text=True, input=json.dumps(workbox_config(static_dir, skip)))  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"generateSW failed:\n{done.stdout}\n{done.stderr}")
        print(done.stdout.strip())
