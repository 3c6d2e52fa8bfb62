"""Reading stored delivery metrics, including the plain dicts of figures the first versions wrote."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from interviewer.speech.metrics import DeliveryMetrics

# The figures an old dict may hold that DeliveryMetrics still has; the rest (rates, pause counts)
# are recomputed by DeliveryMetrics or cannot be rebuilt, and are dropped.
_CARRIED = ("answers", "duration_seconds", "talk_seconds", "start_delay_seconds", "word_count", "filler_count", "fillers")


def read_delivery(text: str) -> DeliveryMetrics | None:
    """DeliveryMetrics from stored JSON; None when it is not JSON or holds too little to make one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    try:
        return DeliveryMetrics.model_validate(data)
    except ValidationError:
        return _from_old_figures(data)


def _from_old_figures(data: Any) -> DeliveryMetrics | None:
    if not isinstance(data, dict):
        return None
    carried = {name: data[name] for name in _CARRIED if name in data}
    try:
        # Where talk time came from was not recorded.
        return DeliveryMetrics.model_validate({**carried, "pause_source": "none"})
    except ValidationError:
        return None
