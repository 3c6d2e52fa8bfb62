"""The scored transcript as Markdown, JSON or a self-contained HTML page.

Each format is a pure function of (state, rubric, scorecard, delivery) returning text; the
scorecard may be None for a session not scored yet, so a download can be offered mid-interview.
Candidate text is escaped in every format: whatever they typed shows as text.
"""

from interviewer.export.common import EXPORT_SCHEMA_VERSION
from interviewer.export.files import (
    EXPORTERS,
    ExportFormat,
    export_filename,
    render,
    write_export,
)
from interviewer.export.html_page import to_html
from interviewer.export.json_document import to_json
from interviewer.export.markdown import to_markdown

__all__ = [
    "EXPORTERS", "EXPORT_SCHEMA_VERSION", "ExportFormat", "export_filename", "render", "to_html", "to_json",
    "to_markdown", "write_export",
]
