"""A progress display for long waits and batches, drawn by tqdm when it is installed.

One display serves every vendor: a wait for an Airflow run or an Airbyte sync, a batch of
Amentum points. tqdm is optional (extra ``progress``); without it the display draws
nothing and costs nothing. ``tqdm.auto`` picks the notebook widget under Jupyter and a
text bar in a terminal.

The ``progress`` argument of every waiting or batch helper means:

- ``None`` (the default): show a display when tqdm is installed and someone is watching
  (a terminal on stderr, or a Jupyter kernel); CI logs stay clean;
- ``True``: always show it; tqdm must be installed (otherwise a :class:`ConfigurationError`
  naming the extra);
- ``False``: never.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from ._errors import ConfigurationError, InvalidArgumentError
from ._lazy import publish

__all__ = ["ProgressDisplay", "ProgressUpdate", "open_progress"]


@dataclass(frozen=True)
class ProgressUpdate:
    """What a display shows at one moment: a status word, an optional count of done
    units out of a total, and details shown beside them (records, bytes, attempts)."""

    status: str
    completed: float | None = None
    total: float | None = None
    details: Mapping[str, object] = field(default_factory=dict)


def _tqdm_class() -> Any | None:
    try:
        return importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None


def _someone_watching() -> bool:
    if "ipykernel" in sys.modules:
        return True
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


class ProgressDisplay:
    """A context manager that shows :class:`ProgressUpdate` values, or does nothing."""

    def __init__(self, bar: Any | None) -> None:
        self._bar = bar

    @property
    def shown(self) -> bool:
        """Whether anything is drawn (tqdm installed and the display wanted)."""
        return self._bar is not None

    def show(self, update: ProgressUpdate) -> None:
        bar = self._bar
        if bar is None:
            return
        if update.total is not None and bar.total != update.total:
            bar.total = update.total
        if update.completed is not None:
            bar.n = update.completed
        bar.set_description_str(update.status, refresh=False)
        details = {k: v for k, v in update.details.items() if v is not None}
        bar.set_postfix(details, refresh=False)
        bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_progress(
    progress: bool | None, *, what: str, total: float | None = None, unit: str = "it"
) -> ProgressDisplay:
    """A display for ``what`` (``"dag run etl/manual__1"``, ``"points"``), per ``progress``."""
    if progress is not None and not isinstance(progress, bool):
        raise InvalidArgumentError(
            f"progress: expected True, False or None (show when watched), got {progress!r}",
            parameter="progress",
        )
    if progress is False:
        return ProgressDisplay(None)
    tqdm = _tqdm_class()
    if tqdm is None:
        if progress:
            raise ConfigurationError("progress=True needs tqdm: pip install 'commonrest[progress]'")
        return ProgressDisplay(None)
    if progress is None and not _someone_watching():
        return ProgressDisplay(None)
    return ProgressDisplay(tqdm(total=total, desc=what, unit=unit, leave=True))


publish(__name__, globals())
