"""Models of the REST API v2 (Airflow 3) (Airflow).

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from .._generated.v2.models import *  # noqa: F403
from .._generated.v2.models import __all__ as __all__
