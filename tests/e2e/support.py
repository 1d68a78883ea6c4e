"""What the browser tests share: launching Chromium, signing in, and the quality checks.

Every check returns or raises with what the reader would have met (the axe rule and the
elements it names, the validator's message, a screenshot path), so a failure explains itself.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import weakref
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("CHARCOT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-results" / "e2e"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# A short-lived JVM: the quick compiler and the serial collector cut the checker's start-up
# CPU time about fourfold.
VNU_JVM_FLAGS = ["-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MIN_TARGET = 24


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save what the page shows now under test-results/e2e/ (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[-150:] + ".png")
    page.screenshot(path=path, full_page=full_page)
    return path.relative_to(ROOT)


def session_cookie(user, url: str) -> dict:
    """Sign a person in the way the site would and hand the browser their session cookie."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


class Browsing:
    """Opens isolated browser contexts on the live server, one per person."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.live_server = live_server
        self.pages = []
        self.script_problems: list[str] = []

    def page(self, user=None, *, viewport=None, javascript=True, site_scripts=True):
        """A tab for one person. javascript=False is a browser without JavaScript; for pages
        that axe must still inspect, site_scripts=False serves the page without our scripts."""
        context = self.browser.new_context(
            base_url=self.live_server.url,
            viewport=viewport or DESKTOP,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
            reduced_motion="reduce",
        )
        if user is not None:
            context.add_cookies([session_cookie(user, self.live_server.url)])
        if not site_scripts:
            context.route("**/*.js", lambda route: route.abort())
        page = context.new_page()
        if not javascript:
            NO_JAVASCRIPT.add(page)
        page.set_default_timeout(10_000)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.script_problems.append(f"script error: {error}"))
        self.pages.append(page)
        return page

    def _console(self, message):
        # The CSP reports blocked inline code and styles as console errors: those are bugs.
        if message.type == "error" and "Content Security Policy" in message.text:
            self.script_problems.append(f"CSP violation: {message.text}")

    def close(self):
        for page in self.pages:
            page.context.close()


# --- Accessibility ----------------------------------------------------------------------

_axe = Axe()


# Pages whose context runs no JavaScript: axe's promise would never settle there.
NO_JAVASCRIPT = weakref.WeakSet()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    assert page not in NO_JAVASCRIPT, "axe needs JavaScript: use site_scripts=False instead"
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def assert_accessible(page, label: str) -> None:
    violations = axe_violations(page)
    if not violations:
        return
    lines = [
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {label} ({page.url}),",
        f"screenshot: {screenshot(page, 'axe-' + label)}",
    ]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    target {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
    raise AssertionError("\n".join(lines))


# Describes the element that has focus: where it is, whether something covers it, and
# whether it shows a focus indicator.
_FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rects = el.getClientRects();
  const r = rects.length ? rects[0] : el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
    && r.top < innerHeight && r.left < innerWidth;
  let coveredBy = null;
  if (inView) {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    if (hit && hit !== el && !el.contains(hit)) {
      coveredBy = hit.tagName.toLowerCase() + (hit.className ? "." + hit.className : "");
    }
  }
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const indicator = outline || style.boxShadow !== "none";
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: text.slice(0, 60),
    name: el.getAttribute("name") || "",
    describe: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ' "' + text.slice(0, 40) + '"',
    inView, coveredBy, indicator, width: r.width, height: r.height,
    comment: (el.closest("article[id^='comment-']") || {}).id || "",
  };
}"""


def focus_state(page) -> dict | None:
    return page.evaluate(_FOCUS_STATE)


def tab_through(page, *, limit: int = 400, until=None) -> list[dict]:
    """Press Tab like a keyboard user and record every focus stop (stops after a full cycle)."""
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    stops: list[dict] = []
    seen_first = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state is None:
            continue
        key = (state["describe"], state["comment"])
        if seen_first is None:
            seen_first = key
        elif key == seen_first:
            break
        stops.append(state)
        if until is not None and until(state):
            break
    return stops


def badly_focused(stops: list[dict]) -> list[str]:
    """Focus stops a sighted keyboard user could not see."""
    problems = []
    for stop in stops:
        if not stop["inView"]:
            problems.append(f"{stop['describe']}: focused but outside the viewport")
        elif stop["coveredBy"]:
            problems.append(f"{stop['describe']}: focused but hidden under {stop['coveredBy']}")
        elif not stop["indicator"]:
            problems.append(f"{stop['describe']}: no visible focus indicator")
    return problems


# WCAG 2.2 SC 2.5.8 Target Size (Minimum): a target is at least 24x24 CSS px, unless it is
# inline in a sentence, or a 24px circle centred on it touches no other target (spacing).
_SMALL_TARGETS = """(args) => {
  const [root, min] = args;
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  const scope = document.querySelector(root) || document.body;
  const visible = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && !el.closest(".visually-hidden");
  };
  const targets = [...scope.querySelectorAll(selector)].filter(visible);
  const inSentence = (el) => {
    if (!getComputedStyle(el).display.startsWith("inline") || getComputedStyle(el).display === "inline-block") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    if (!block) return false;
    const clone = block.cloneNode(true);
    clone.querySelectorAll(selector).forEach((t) => t.remove());
    return /\\p{L}{2,}/u.test(clone.textContent);
  };
  const rects = targets.map((el) => el.getBoundingClientRect());
  const small = targets.map((el, i) => rects[i].width < min || rects[i].height < min);
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const circleHitsRect = ([cx, cy], r) => {
    const dx = Math.max(r.left - cx, 0, cx - r.right), dy = Math.max(r.top - cy, 0, cy - r.bottom);
    return dx * dx + dy * dy < (min / 2) * (min / 2);
  };
  const out = [];
  targets.forEach((el, i) => {
    if (!small[i] || inSentence(el)) return;
    const c = centre(rects[i]);
    const crowded = targets.some((other, j) => {
      if (j === i || other.contains(el) || el.contains(other)) return false;
      if (small[j]) { const [ox, oy] = centre(rects[j]); return Math.hypot(ox - c[0], oy - c[1]) < min; }
      return circleHitsRect(c, rects[j]);
    });
    if (crowded) {
      const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40);
      out.push(`${el.tagName.toLowerCase()} "${text}" is ${rects[i].width.toFixed(1)}x${rects[i].height.toFixed(1)} px and crowded by neighbours`);
    }
  });
  return out;
}"""


def small_touch_targets(page, root: str = "main") -> list[str]:
    return page.evaluate(_SMALL_TARGETS, [root, MIN_TARGET])


_OVERFLOW = """() => {
  const doc = document.documentElement, width = doc.clientWidth;
  if (doc.scrollWidth <= width) return [];
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest(".visually-hidden, .skip-link"))
    .slice(0, 8)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
      + " right edge at " + Math.round(el.getBoundingClientRect().right) + "px");
}"""


def horizontal_overflow(page) -> list[str]:
    """Elements that stick out to the right and make the page scroll sideways."""
    return page.evaluate(_OVERFLOW)


# --- HTML validity ----------------------------------------------------------------------


def vnu_available() -> str | None:
    """Why the Nu HTML Checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "No java on PATH: the Nu HTML Checker needs Java 11+ (`apt-get install -y default-jre-headless`)."
    if not VNU_JAR.exists():
        return f"No {VNU_JAR.relative_to(ROOT)}: run `npm ci` at the repository root to install the Nu HTML Checker."
    return None


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Validate every document in one run of the Nu HTML Checker; errors by document label."""
    with tempfile.TemporaryDirectory(prefix="charcot-vnu-") as folder:
        paths = {}
        for label, html in documents.items():
            path = Path(folder) / (re.sub(r"[^A-Za-z0-9_-]+", "-", label) + ".html")
            path.write_text(html, encoding="utf-8")
            paths[path.resolve().as_uri()] = label
        result = subprocess.run(  # noqa: S603 - fixed arguments, our own temp files
            [shutil.which("java"), *VNU_JVM_FLAGS, "-jar", str(VNU_JAR), "--format", "json"]
            + ["--stdout", *(str(Path(folder) / Path(uri).name) for uri in paths)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    report = json.loads(result.stdout)
    errors: dict[str, list[str]] = {label: [] for label in documents}
    by_name = {Path(uri).name: label for uri, label in paths.items()}
    for message in report["messages"]:
        if message["type"] not in {"error", "non-document-error"}:
            continue
        label = by_name.get(Path(message.get("url", "")).name, "?")
        where = f"line {message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
        extract = message.get("extract", "").replace("\n", "⏎")
        errors.setdefault(label, []).append(f"{where}: {message['message']}  [{extract}]")
    return errors
