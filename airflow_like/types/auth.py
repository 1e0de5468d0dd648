"""Models of the simple auth manager (Airflow).

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from .._generated.auth.models import *  # noqa: F403
from .._generated.auth.models import __all__ as __all__
