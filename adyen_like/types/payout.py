"""Models of Payouts (Adyen).

Response models are lenient (every field optional, no length, pattern or range
checks); request bodies built from them are checked against the spec before sending.
"""

from .._generated.payout.models import *  # noqa: F403
from .._generated.payout.models import __all__ as __all__
