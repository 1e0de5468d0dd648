"""Models of the Transfers v3 (Adyen).

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from .._generated.transfers_v3.models import *  # noqa: F403
from .._generated.transfers_v3.models import __all__ as __all__
