"""Publishing in tests: what readers see once an editor has published."""

from public.publishing import write_all


def publish_all() -> None:
    """Write the published copy of every unit whose working record is published, as if an
    editor had just published each of them: the public pages and the API then show it."""
    write_all()
