"""axe-core, the accessibility checker, run on a page open in Playwright.

axe-core comes from npm (package.json; `make test` runs `npm ci`). It is handed to the
page through the browser's debugging protocol, which the site's Content-Security-Policy
does not govern: a <script> added to the page would be refused as inline.
"""

import functools
import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# What keeps a person from using the page, or makes it very hard: axe's two worst impacts.
SEVERE = ("critical", "serious")

# The admin draws its search boxes, and its own script names them, once jQuery says the
# page is ready; a callback asked for now runs after theirs.
SETTLED = """() => new Promise((settled) => {
    if (window.django && django.jQuery) {
        django.jQuery(() => setTimeout(settled));
    } else {
        settled();
    }
})"""

RUN = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map((rule) => ({
        rule: rule.id,
        impact: rule.impact,
        help: rule.help,
        nodes: rule.nodes.map((node) => ({
            impact: node.impact,
            target: node.target.flat().join(" >> "),
            html: node.html,
        })),
    }));
}"""


@functools.cache
def axe_source():
    if not AXE.exists():
        missing = f"{AXE} is missing: run `npm ci` (make test does)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    return AXE.read_text(encoding="utf-8")


def severe_violations(page):
    """The critical and serious violations axe finds on `page` as it is now: for each rule
    broken, its id, what it asks, and the elements that break it that badly."""
    page.evaluate(SETTLED)
    page.evaluate(axe_source())
    found = []
    for violation in page.evaluate(RUN):
        nodes = [node for node in violation["nodes"] if node["impact"] in SEVERE]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def describe(url, violations, shown=5):
    """`violations` on the page at `url`, for a person to read: each rule, then the first
    few elements that break it."""
    lines = [url]
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"  {violation['rule']} ({violation['impact']}, {len(nodes)} elements): "
            f"{violation['help']}"
        )
        for node in nodes[:shown]:
            html = node["html"] if len(node["html"]) <= 120 else node["html"][:117] + "..."
            lines.append(f"    {node['target']}  {html}")
        if len(nodes) > shown:
            lines.append(f"    and {len(nodes) - shown} more")
    return "\n".join(lines)
