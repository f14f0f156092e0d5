"""What every screen's layout check does, at each viewport it is shown at (tests marked
`layout`; the SQLite pass runs them): a full-page screenshot to look at, axe-core (no serious
or critical violation; everything it said kept beside the screenshot) and, on a touch
screen (tablets; the phone for the public pages), touch targets of at least 44 × 44 px.

A tablet is checked in portrait and then turned to landscape, as a rep turns it: the page
reflows without a reload, which is also what a real rotation does."""

import json

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import SHOTS, VIEWPORTS

BLOCKING = ("serious", "critical")
TOUCH = ("tablet-landscape", "tablet-portrait", "phone")  # touch targets of 44 px matter here
AXE = Axe()

TARGETS = """() => {
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=tab], '
    + '[role=checkbox], [role=radio], [role=switch], [role=combobox], [role=link], [role=menuitem], [role=option]';
  const small = [], inline = [];
  const describe = (el) => (el.getAttribute('aria-label') || el.innerText || el.getAttribute('placeholder')
    || el.getAttribute('name') || el.id || el.outerHTML.slice(0, 80)).trim().slice(0, 60);
  for (const el of document.querySelectorAll(controls)) {
    if (el.closest('[aria-hidden="true"], [inert]')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.pointerEvents === 'none' || Number(style.opacity) === 0) continue;
    const own = el.getBoundingClientRect();
    if (own.width <= 1 || own.height <= 1) continue;  // hidden, or visually hidden (its label or drop zone is the target)
    if (el.tagName === 'A' && style.display === 'inline') {
      const block = el.parentElement.closest('p, li, td, div, span');
      if (block && block.innerText.trim().length > el.innerText.trim().length) {
        inline.push(describe(el));
        continue;
      }
    }
    // What a finger actually hits: the control, its <label>, its Radix field box.
    let box = {left: own.left, top: own.top, right: own.right, bottom: own.bottom};
    for (const around of [el.closest('label'), el.closest('.rt-TextFieldRoot, .rt-TextAreaRoot')]) {
      if (!around) continue;
      const r = around.getBoundingClientRect();
      box = {left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
             right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom)};
    }
    const width = Math.round(box.right - box.left), height = Math.round(box.bottom - box.top);
    if (width < 44 || height < 44) small.push(`${el.tagName.toLowerCase()}[${el.getAttribute('role') || ''}] `
      + `"${describe(el)}" ${width}×${height}`);
  }
  return {small, inline};
}"""


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:6]:
            lines.append(f"    {' '.join(map(str, node['target']))}  {node['html'][:160]}")
            lines.append(f"      {node['failureSummary'].splitlines()[-1].strip() if node.get('failureSummary') else ''}")
    return "\n".join(lines)


def shown_at(viewport: str) -> list[str]:
    """The viewports one layout test covers: a tablet in portrait, then turned to landscape."""
    return ["tablet-portrait", "tablet-landscape"] if viewport == "tablet-portrait" else [viewport]


def problems_at(page: Page, screen: str, viewport: str) -> list[str]:
    """Screenshot, axe and touch targets of what `page` shows now, at `viewport`."""
    page.set_viewport_size(VIEWPORTS[viewport])
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"a11y-{screen}-{viewport}.png", full_page=True)
    violations = AXE.run(page).response["violations"]
    targets = page.evaluate(TARGETS) if viewport in TOUCH else {"small": [], "inline": []}
    (SHOTS / f"a11y-{screen}-{viewport}.json").write_text(
        json.dumps({"violations": violations, "inline_links_excluded": targets["inline"]}, indent=1))
    serious = [v for v in violations if v["impact"] in BLOCKING]
    problems = []
    if serious:
        problems.append(f"{screen} at {viewport}: axe-core, serious or critical:\n{describe(serious)}")
    if targets["small"]:
        problems.append(f"{screen} at {viewport}: targets under 44 × 44 px:\n    " + "\n    ".join(targets["small"]))
    return problems


def check_layout(page: Page, screen: str, viewport: str) -> None:
    """The screen `page` shows, at `viewport` (and, from a tablet in portrait, in landscape)."""
    problems = [problem for shown in shown_at(viewport) for problem in problems_at(page, screen, shown)]
    assert not problems, "\n".join(problems)
