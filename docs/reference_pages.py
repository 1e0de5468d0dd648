"""Write the API reference pages at build time (run by mkdocs-gen-files, see mkdocs.yml).

The reference follows the public surface as the packages declare it, so it cannot fall
behind: the core's page is grouped by the module each name of ``commonrest.__all__``
comes from, and each vendor gets a page of its clients, a table of every operation from
its ``catalog()`` (HTTP method and path, paging, retry safety), one page per resource
class (the generated docstrings give parameters, result type and errors) and one page per
``types`` module. ``reference/SUMMARY.md`` is the navigation of it all (mkdocs-literate-nav).
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
import inspect
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mkdocs_gen_files
import pydantic

# the checkout's packages, not an installed copy: a strict editable install links only
# the modules that existed when it was made, and mkdocstrings reads the checkout too
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import commonrest
from commonrest.declare import CatalogEntry

#: The core's names by the private module that defines them, under a reader's title.
CORE_GROUPS: dict[str, str] = {
    "_client": "Clients",
    "_options": "Options and timeouts",
    "_retry": "Retries",
    "_ratelimit": "Rate limits",
    "_ratelimit_redis": "Rate limits",
    "_server_limits": "Rate limits",
    "_auth": "Authentication",
    "_operations": "Declaring operations",
    "_streaming": "Streams",
    "_response": "Results",
    "_pagination": "Pagination",
    "_models": "Models",
    "_sentinels": "Models",
    "_errors": "Errors",
    "_services": "Services and transports",
    "_transports": "Services and transports",
    "_etag": "Caching",
    "_tracing": "Tracing",
    "_polling": "Waiting and progress",
    "_progress": "Waiting and progress",
}


@dataclass(frozen=True)
class Vendor:
    package: str
    title: str
    clients: tuple[str, str]
    guide: str


VENDORS = (
    Vendor("adyen_like", "Adyen", ("AdyenClient", "AsyncAdyenClient"), "adyen.md"),
    Vendor("airflow_like", "Airflow", ("AirflowClient", "AsyncAirflowClient"), "airflow.md"),
    Vendor("airbyte_like", "Airbyte", ("AirbyteClient", "AsyncAirbyteClient"), "airbyte.md"),
    Vendor("amentum_like", "Amentum", ("AmentumClient", "AsyncAmentumClient"), "amentum.md"),
)

_summary: list[str] = []


def write(path: str, text: str, nav: str | None = None, depth: int = 0) -> None:
    """Write one page under reference/ and list it in the navigation."""
    with mkdocs_gen_files.open(f"reference/{path}", "w") as out:
        out.write(text)
    if nav is not None:
        _summary.append(f"{'    ' * depth}* [{nav}]({path})")


def directive(target: str, **options: Any) -> str:
    lines = [f"::: {target}"]
    if options:
        lines.append("    options:")
        for key, value in options.items():
            rendered = str(value).lower() if isinstance(value, bool) else value
            lines.append(f"      {key}: {rendered}")
    return "\n".join(lines) + "\n"


def core_page() -> str:
    exports: dict[str, str] = vars(commonrest)["_EXPORTS"]
    # the groups in the order of CORE_GROUPS (clients first), names as __all__ lists them
    groups: dict[str, list[str]] = {title: [] for title in CORE_GROUPS.values()}
    for name in commonrest.__all__:
        module = exports.get(name)
        if module is None:
            continue  # __version__
        groups.setdefault(CORE_GROUPS.get(module, "Other"), []).append(name)
    out = [
        "# `commonrest`",
        "",
        "The core: clients, options, authentication, results, pagination, models and",
        "errors. Every vendor client is built from these pieces. Import everything from",
        "`commonrest` itself; the modules the names live in are private.",
        "",
    ]
    for title, names in groups.items():
        if not names:
            continue
        out += [f"## {title}", ""]
        for name in names:
            # a client's methods (with_options, with_raw_response, ...) live on its
            # private base class: show them on the public one
            inherited = title == "Clients" and name in ("SyncClient", "AsyncClient")
            out.append(
                directive(f"commonrest.{name}", heading_level=3, inherited_members=inherited)
            )
    return "\n".join(out)


def retry_text(entry: CatalogEntry, client: type[Any]) -> str:
    """How the operation's failures are retried, as a short table cell (the page's
    legend explains each)."""
    if entry.retry_safe:
        return "yes (reads)" if entry.read_only else "yes"
    service = client.services.get(entry.api)
    if service is not None and service.idempotency_header:
        return "with key"
    return "no"


def resource_target(package: str, module: str, name: str) -> str:
    return f"{package}._generated.{module}.{name}"


def vendor_pages(vendor: Vendor) -> None:
    package = importlib.import_module(vendor.package)
    generated = importlib.import_module(f"{vendor.package}._generated.catalog")
    client: type[Any] = getattr(package, vendor.clients[0])
    resources: tuple[tuple[str, str, str], ...] = generated.RESOURCES
    by_prefix = {prefix: (module, name) for prefix, module, name in resources}
    entries: list[CatalogEntry] = package.catalog()
    base = vendor.package

    _summary.append(f"* {vendor.title}")
    sync_name, async_name = vendor.clients
    table = [
        # the short columns first: a long path may run past the page's width
        "| Python method | Paged | Retried | HTTP | Path |",
        "|---|---|---|---|---|",
    ]
    for entry in sorted(entries, key=lambda e: e.python_name):
        prefix, _, method = entry.python_name.rpartition(".")
        module, name = by_prefix[prefix]
        target = f"{resource_target(base, module, name)}.{method}"
        flags = " (deprecated)" if entry.deprecated else ""
        paged = "yes" if entry.paged else ("stream" if entry.streamed else "")
        table.append(
            f"| [`{entry.python_name}`][{target}]{flags} | {paged} | "
            f"{retry_text(entry, client)} | `{entry.method}` | `{entry.path}` |"
        )
    index = [
        f"# `{base}`",
        "",
        f"The {vendor.title} clients: [`{sync_name}`][{base}.{sync_name}] and its async",
        f"twin [`{async_name}`][{base}.{async_name}], with the same resources and methods",
        f"(awaited). The guide is [{vendor.title}](../../{vendor.guide}).",
        "",
        directive(f"{base}.{sync_name}", heading_level=2, members=False, show_bases=False),
        directive(f"{base}.{async_name}", heading_level=2, members=False, show_bases=False),
        directive(f"{base}.catalog", heading_level=2),
        "## Operations",
        "",
        f"{len(entries)} operations, from `{base}.catalog()`. *Retried* says whether a",
        "transient failure (a connection error, a timeout, 408, 429 or 5xx) is repeated:",
        "",
        "- **yes**: the method is idempotent by HTTP semantics (GET, PUT, DELETE, ...);",
        "- **yes (reads)**: a POST declared read-only",
        "  ([how](../../codegen.md#read-only-posts-retry-safety));",
        "- **with key**: repeated with the same idempotency key on every attempt, so the",
        "  service applies it once (the client generates one unless you give your own);",
        "- **no**: never repeated once the request may have been received (only a failure",
        "  before any byte was sent is retried).",
        "",
        "See [Errors and retries](../../errors-and-retries.md).",
        "",
        *table,
        "",
    ]
    write(f"{base}/index.md", "\n".join(index), nav="Clients and operations", depth=1)

    _summary.append("    * Resources")
    for prefix, module, name in resources:
        reach = f"client.{prefix}"
        page = [
            f"# `{reach}`",
            "",
            f"Reached as `{reach}` on [`{sync_name}`][{base}.{sync_name}] and",
            f"[`{async_name}`][{base}.{async_name}] (awaited). Each method's",
            "docstring gives its HTTP method and path, parameters, result, errors and",
            "whether a failure is retried.",
            "",
            directive(
                resource_target(base, module, name),
                show_root_heading=False,
                show_bases=False,
                heading_level=2,
                members_order="source",
            ),
        ]
        write(f"{base}/{prefix}.md", "\n".join(page), nav=prefix, depth=2)

    # public modules of the package beyond its clients and types (a vendor's test fakes,
    # webhooks helpers, ...): whatever its __init__ does not re-export, listed here when
    # the module exists
    for extra in ("testing", "webhooks"):
        if importlib.util.find_spec(f"{base}.{extra}") is not None:
            page = [
                f"# `{base}.{extra}`",
                "",
                directive(f"{base}.{extra}", show_root_heading=False),
            ]
            write(f"{base}/{extra}.md", "\n".join(page), nav=f"{base}.{extra}", depth=1)

    types = importlib.import_module(f"{base}.types")
    if hasattr(types, "__path__"):
        modules = [f"{base}.types.{sub}" for sub in types.__all__]
    else:
        modules = [f"{base}.types"]  # one module for the whole API (airbyte_like.types)
    _summary.append("    * Models")
    for target in modules:
        sub = target.removeprefix(f"{base}.types").lstrip(".") or "types"
        write(f"{base}/types/{sub}.md", models_page(target), nav=sub, depth=2)


def type_text(annotation: Any, module: str) -> str:
    """An annotation as a reader writes it, with this module's classes linked."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_text(args[0], module)
    if origin in (typing.Union, types.UnionType):
        return " \\| ".join(dict.fromkeys(type_text(arg, module) for arg in args))
    if origin is typing.Literal:
        return " \\| ".join(f"`{arg!r}`" for arg in args)
    if annotation is type(None):
        return "None"
    if origin is not None:
        inner = ", ".join(type_text(arg, module) for arg in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if isinstance(annotation, type):
        if annotation.__module__ == module:
            return f"[{annotation.__name__}](#{module}.{annotation.__name__})"
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def models_page(target: str) -> str:
    """Every model and enum of one ``types`` module: a table of fields per model (name,
    wire name, type, required or default). Written here rather than by mkdocstrings, which
    takes minutes for the 1,400 generated models; each heading's id is the class's full
    path, so signatures and ``[Name][path]`` links elsewhere resolve to it."""
    module = importlib.import_module(target)
    doc = inspect.getdoc(module) or ""
    out = [f"# `{target}`", "", doc.split("Generated from")[0].strip(), ""]
    classes = [
        obj
        # every public name, loaded (a models module loads its chunks on first use)
        for name, obj in ((n, getattr(module, n)) for n in module.__all__)
        if inspect.isclass(obj) and obj.__module__ == target and not name.startswith("_")
    ]
    for cls in sorted(classes, key=lambda c: c.__name__):
        anchor = f"{target}.{cls.__name__}"
        out += [f"## `{cls.__name__}` {{ #{anchor} data-toc-label='{cls.__name__}' }}", ""]
        if issubclass(cls, enum.Enum):
            values = ", ".join(f"`{member.value}`" for member in cls)
            out += [f"Enum. Values: {values}. A response may hold a value not listed here.", ""]
            continue
        if not issubclass(cls, pydantic.BaseModel):
            continue
        if issubclass(cls, pydantic.RootModel):
            root = cls.model_fields["root"].annotation
            out += [f"A JSON value of type {type_text(root, target)}.", ""]
            continue
        own_doc = cls.__doc__ if "__doc__" in vars(cls) else None
        if own_doc:
            out += [inspect.cleandoc(own_doc), ""]
        fields = cls.model_fields
        if not fields:
            out += ["No declared fields.", ""]
            continue
        out += ["| Field | JSON name | Type | Required |", "|---|---|---|---|"]
        for name, info in fields.items():
            wire = info.alias or name
            required = "yes" if info.is_required() else ""
            out.append(
                f"| `{name}` | `{wire}` | {type_text(info.annotation, target)} | {required} |"
            )
        out.append("")
    return "\n".join(out)


def main() -> None:
    _summary.append("* [Overview](index.md)")
    write("commonrest.md", core_page(), nav="commonrest")
    for name, title in (
        ("declare", "commonrest.declare"),
        ("crest", "commonrest.crest"),
        ("testing", "commonrest.testing"),
    ):
        page = [f"# `{title}`", "", directive(title, show_root_heading=False, heading_level=2)]
        if name == "testing":
            page += [
                "## `commonrest.testing.crest_server`",
                "",
                directive("commonrest.testing.crest_server", show_root_heading=False),
            ]
        write(f"{name}.md", "\n".join(page), nav=title)
    for vendor in VENDORS:
        vendor_pages(vendor)
    with mkdocs_gen_files.open("reference/SUMMARY.md", "w") as out:
        out.write("\n".join(_summary) + "\n")


main()
