"""Requests that must leave no line in a log.

Django's development server (`make run`) logs every request with its status and response size, and Django
logs every refused request with its path. For anonymous reporting either would be a timed record that an
anonymous report was sent, and the size tells an anonymous receipt from a named one (docs/adr/0018).
"""

from __future__ import annotations

import logging
import re

# The development server's message: "POST /speak-up/low_level/ HTTP/1.1" 200 12345
_REQUEST_LINE = re.compile(r'^"?[A-Z]+ (\S+)')


def _path_of(record: logging.LogRecord) -> str:
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)  # an HttpRequest; the development server passes its socket
    if isinstance(path, str):
        return path
    if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
        match = _REQUEST_LINE.match(record.args[0])
        if match:
            return match.group(1)
    return ""


class LeaveOutPaths(logging.Filter):
    """Drops records about requests under any of `prefixes`. With `keep_errors`, errors stay: a failed
    request wrote nothing, and whoever runs the service must see that it failed."""

    def __init__(self, prefixes: list[str], keep_errors: bool = False):
        super().__init__()
        self.prefixes = tuple(prefixes)
        self.keep_errors = keep_errors

    def filter(self, record: logging.LogRecord) -> bool:
        if self.keep_errors and record.levelno >= logging.ERROR:
            return True
        return not _path_of(record).startswith(self.prefixes)
