"""Links to the outside world (a source's address, a court document's): http and https only.

A page that writes a stored address into `href` runs whatever scheme it holds: a
`javascript:alert(1)` saved by a script would run in every reader's browser. So what is written
into a page or a TimelineJS document goes through `web_url`, which gives back an address only
when it is http(s).
"""

WEB_SCHEMES = ("http", "https")
PREFIXES = tuple(f"{scheme}://" for scheme in WEB_SCHEMES)


def web_url(url) -> str:
    """`url` when it is an http(s) address, otherwise "" (show the title without a link)."""
    url = str(url or "")
    return url if url.lower().startswith(PREFIXES) else ""
