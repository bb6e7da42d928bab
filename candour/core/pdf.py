"""PDFs made from HTML by WeasyPrint, the one way Candour prints: board reports and controlled drugs
registers alike.

WeasyPrint fetches nothing: the document carries all it shows (stylesheet inline, charts as SVG), so text
that came from people can never make the server ask for a URL while the PDF is made.
"""

from __future__ import annotations


def pdf_from_html(html: str) -> bytes:
    """The PDF of a standalone HTML document, tagged so that screen readers can follow its headings and
    tables."""
    # Imported here, where a PDF is made: loading WeasyPrint (and Pango through it) costs every other
    # process, from the web server to each manage.py command, a third of a second at start (ADR 0022).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only data: URIs, which carry their content with them; any other address is refused, not fetched.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_tags=True)
