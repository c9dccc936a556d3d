import json
import logging


class KeyValueFormatter(logging.Formatter):
    """One log line per record, `key=value` pairs; values with spaces or quotes are JSON-quoted.

    A traceback stays on the same line (exc="..."), so a log shipper never splits one error into many.
    """

    def format(self, record):
        fields = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        return " ".join(f"{key}={quoted(value)}" for key, value in fields.items())


def quoted(value):
    value = str(value)
    if not value or any(char in value for char in ' "=\n\t'):
        return json.dumps(value, ensure_ascii=False)
    return value
