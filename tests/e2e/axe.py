"""axe-core in the browser tests: inject the vendored script into the page and list what it finds.

``axe_violations(page)`` returns the violations of the given impacts (serious and critical by default) as short
readable strings ("color-contrast (serious): .flag -> Element has insufficient color contrast..."), so a failing
assert says what to fix.
"""

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page: Page, impacts=("serious", "critical")) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            found.append(f"{violation['id']} ({violation['impact']}): {target} -> {node['failureSummary']}")
    return found
