"""Advice renderers, one module per format; the CLI looks them up in RENDERERS."""

RENDERERS: dict[str, str] = {
    "text": "clearance.advise.report.text:render",
    "json": "clearance.advise.report.json:render",
    "markdown": "clearance.advise.report.markdown:render",
    "html": "clearance.advise.report.html:render",
}
