"""Capture every log record the code under test writes, to prove that no secret reaches any log line."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__!r}")


@contextmanager
def every_log_record() -> Iterator[Everything]:
    """A handler on the root logger and on every logger that does not propagate, all at DEBUG (django.request's
    4xx warnings included); levels and handlers are restored afterwards."""
    handler = Everything()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    loggers.append(logging.getLogger("django.request"))
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        for logger, level in levels.items():
            logger.removeHandler(handler)
            logger.setLevel(level)
