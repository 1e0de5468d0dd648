"""Services: where an API lives (base URL per environment) and its version suffix.

A vendor package declares one :class:`Service` per API it speaks, e.g. Adyen's Payment
API at ``https://pal-test.adyen.com`` (test) or ``https://{prefix}-pal-live.adyenpayments.com``
(live) with the suffix ``/pal/servlet/Payment/v{version}`` and version ``68``. The client
resolves every service's URL once, at construction, so a missing live prefix or an unknown
environment is reported before any request.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ._errors import ConfigurationError
from ._lazy import publish

__all__ = ["Service", "validate_base_url"]

_VERSION = re.compile(r"^[A-Za-z0-9._-]+$")


def validate_base_url(url: str, *, setting: str = "base_url") -> str:
    """Check that ``url`` is an absolute http(s) URL with a host; return it without a
    trailing slash."""
    if not isinstance(url, str) or not url.strip():
        raise ConfigurationError(f"{setting} must be an absolute http(s) URL, got {url!r}")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"{setting} is not a valid URL ({url!r}): {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"{setting} must be an absolute http(s) URL with a host, got {url!r}"
        )
    if parsed.query or parsed.fragment:
        raise ConfigurationError(f"{setting} must not have a query or fragment, got {url!r}")
    if parsed.userinfo:
        raise ConfigurationError(
            f"{setting} must not carry credentials in the URL; pass them as auth instead"
        )
    return url.rstrip("/")


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@dataclass(frozen=True)
class Service:
    """One API: its hosts per environment and its versioned path.

    ``urls`` maps an environment name (``"test"``, ``"live"``) to a base URL, which may hold
    placeholders such as ``{prefix}`` filled from the client's URL variables. ``path`` is
    appended to the base URL and may contain ``{version}``.
    """

    name: str
    urls: Mapping[str, str]
    path: str = ""
    version: str = ""
    idempotency_header: str | None = None
    variable_settings: Mapping[str, str] = field(default_factory=dict)

    def resolve(
        self,
        environment: str,
        *,
        version: str | None = None,
        variables: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> str:
        """The full base URL (host + versioned path) for one environment.

        ``base_url`` replaces the environment's host (a custom environment, a local fake);
        ``version`` replaces the default version; ``variables`` fill URL placeholders.
        """
        version = self.version if version is None else version
        if version and not _VERSION.match(version):
            raise ConfigurationError(
                f"version for service {self.name} must look like '68' or 'v1', got {version!r}"
            )
        if base_url is not None:
            host = validate_base_url(base_url, setting=f"base_url for service {self.name}")
        else:
            try:
                template = self.urls[environment]
            except KeyError:
                known = ", ".join(sorted(self.urls)) or "none"
                raise ConfigurationError(
                    f"environment {environment!r} is not known for service {self.name} "
                    f"(known: {known}; or pass base_url for a custom environment)"
                ) from None
            values = dict(variables or {})
            missing = [n for n in _fields(template) if not values.get(n)]
            if missing:
                settings = [self.variable_settings.get(n, n) for n in missing]
                raise ConfigurationError(
                    f"environment {environment!r} of service {self.name} needs "
                    f"{', '.join(settings)} (its URL is {template})"
                )
            for name in _fields(template):
                if not re.fullmatch(r"[A-Za-z0-9-]+", values[name]):
                    setting = self.variable_settings.get(name, name)
                    raise ConfigurationError(
                        f"{setting} may hold only letters, digits and '-', got {values[name]!r}"
                    )
            host = validate_base_url(
                template.format(**values), setting=f"URL of service {self.name}"
            )
        return host + self.path.format(version=version)


publish(__name__, globals())
