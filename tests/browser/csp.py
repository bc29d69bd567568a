"""Watching a page in Chromium for what the Content-Security-Policy would block."""

# Runs before the page's own scripts, outside its policy: records each violation the browser
# reports, so a test sees those that happen without a console message as well.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def watch(page) -> list[str]:
    """The console errors and warnings, uncaught errors, failed requests and CSP violations of
    `page`, as they happen (check `problems(page, watched)` once the page has done its work)."""
    seen: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            seen.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: (
            seen.append(f"{response.status} from {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return seen


def problems(page, seen: list[str]) -> list[str]:
    """What `watch` recorded, with the violations the page reported."""
    violations = page.evaluate("window.cspViolations || []")
    return seen + [f"CSP violation: {violation}" for violation in violations]
