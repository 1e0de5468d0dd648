"""What to generate: one entry per spec file. This is the only hand-maintained input of the
generator besides ``specs/``.

For each spec it says where the file comes from, which service (``api``) of the vendor
client its operations are routed to, the version string the catalog reports, how its
operations are grouped into resources and how their Python method names are formed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
#: Where the collected vendor files live (only needed by ``python -m codegen reduce``).
SOURCE_SPECS = ROOT.parent / "shared" / "specs"


@dataclass(frozen=True)
class Spec:
    """One spec file and how to turn it into a generated subpackage."""

    #: Subpackage of ``<vendor>/_generated`` that receives the models and resources.
    key: str
    #: Path of the spec, relative to ``specs/`` (and to the collected source folder).
    file: str
    #: Service key the client routes these operations to (base URL + version suffix).
    api: str = ""
    #: Version reported by the catalog for these operations ("68", "1", "1.5.0").
    version: str = ""
    #: Attribute path on the client under which the resources sit ("" = the client itself).
    namespace: str = ""
    #: "tags": one resource per (first) tag; "single": every operation in ``resource``.
    grouping: str = "tags"
    #: Resource attribute name when ``grouping == "single"``.
    resource: str = ""
    #: Tag -> resource attribute name, where the default (snake_case plural) is not wanted.
    tag_resources: Mapping[str, str] = field(default_factory=dict)
    #: Resource attribute name -> (singular noun, plural noun) used to shorten method names.
    nouns: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: "x-methodName" (Adyen), "operation_id", or "path" (RPC style: the path below the
    #: resource's common prefix).
    naming: str = "operation_id"
    #: operationId -> Python method name, where the rule gives a poor name.
    method_names: Mapping[str, str] = field(default_factory=dict)
    #: operationId -> credential name, where it is not ``default_credential``.
    credentials: Mapping[str, str] = field(default_factory=dict)
    #: Credential of the spec's operations ("anonymous": sent without credentials).
    default_credential: str = "default"
    #: operationIds of POST operations that only read (so the core may retry them).
    read_only: tuple[str, ...] = ()
    #: Reduction: operations carrying any of these tags are left out of ``specs/``.
    exclude_tags: tuple[str, ...] = ()
    #: Only models (webhook payload specs have no operations to call).
    models_only: bool = False
    #: Models of incoming payloads (webhooks): no field is required and none has a schema
    #: default, so every field is ``T | None = None`` and a payload that leaves out a field
    #: the spec calls required (the vendor's own examples do) still parses.
    lenient: bool = False
    #: "verbs": POST operations whose name says they only read are declared read-only
    #: (see ``spec.is_read_only``).
    read_only_rule: str = ""
    #: The service dedupes unsafe requests by an idempotency key (the vendor's ``Service``
    #: declares ``idempotency_header``), so the core retries them with one key; docstrings
    #: say so.
    idempotency_keys: bool = False
    #: operationId -> a note of the vendor's own for that operation's docstring (what the
    #: spec's structure cannot say, such as an update replacing the whole object).
    notes: Mapping[str, str] = field(default_factory=dict)
    #: What the spec states only in prose, as schema keywords merged into a parameter's
    #: schema: path (``"*"``: every path) -> parameter wire name -> keywords
    #: (``minimum``, ``maximum``, ``enum``, ``pattern``). An array parameter's keywords
    #: apply to its items. A path's entry replaces the ``"*"`` entry of that parameter.
    stated: Mapping[str, Mapping[str, Mapping[str, object]]] = field(default_factory=dict)
    #: Provenance for ``specs/SOURCES.md``.
    origin: str = ""
    revision: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Vendor:
    package: str
    specs: tuple[Spec, ...]

    def types_module(self, spec: Spec) -> str:
        """Dotted name of the public module the generator writes ``spec``'s models to:
        ``<package>.types`` for a vendor of one spec, else ``<package>.types.<key>``."""
        if len(self.specs) == 1:
            return f"{self.package}.types"
        return f"{self.package}.types.{spec.key}"


#: package -> (vendor name, spec key -> what the spec covers), for the public types
#: modules' docstrings ("Models of <what> (<vendor>).")
TYPES_TITLES: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "adyen_like": (
        "Adyen",
        {
            "payment": "the Checkout payments (authorise, modifications)",
            "payout": "Payouts",
            "recurring": "the Recurring (stored details)",
            "notification_configuration": "the Notification Configuration",
            "terminal_management": "the Terminal Management",
            "transfers_v4": "the Transfers v4",
            "transfers_v3": "the Transfers v3",
            "webhooks": "standard webhook notifications",
            "marketpay_notifications": "classic-platform (MarketPay) notifications",
        },
    ),
    "airflow_like": (
        "Airflow",
        {
            "v1": "the stable REST API v1 (Airflow 2)",
            "v2": "the REST API v2 (Airflow 3)",
            "auth": "the simple auth manager",
        },
    ),
    "airbyte_like": ("Airbyte", {"config": "the Configuration API"}),
    "amentum_like": (
        "Amentum",
        {
            "aviation_radiation": "the Aviation Radiation API",
            "gravity": "the Gravity API",
            "space_radiation": "the Space Radiation API",
            "atmosphere": "the Atmosphere API",
            "geomag": "the Geomag API",
            "ocean": "the Ocean API",
        },
    ),
}


_ADYEN_ORIGIN = "GitHub Adyen/adyen-openapi, json/{name}"
_ADYEN_REV = "repository snapshot aa014f0cbdb58ff5c44a2ff9d5fe734642210aff; file last changed {c}"
_ADYEN_LICENCE = "MIT (Copyright (c) 2017 Adyen bv)"


def _adyen(key: str, name: str, commit: str, **kw: object) -> Spec:
    return Spec(
        key=key,
        file=f"adyen/{name}",
        naming="x-methodName",
        read_only_rule="adyen",
        idempotency_keys=True,
        origin=_ADYEN_ORIGIN.format(name=name),
        revision=_ADYEN_REV.format(c=commit),
        licence=_ADYEN_LICENCE,
        **kw,  # type: ignore[arg-type]
    )


#: Transfers v3 and v4: ``approveInitiatedTransfers`` would read ``approve_initiated``
#: without the resource's noun; the capital account (``GET /grants``) lists grants.
_TRANSFER_NAMES = {
    "post-transfers-approve": "approve",
    "post-transfers-cancel": "cancel",
    "get-grants": "list_grants",
}

_TRANSFER_TAGS = {
    "Capital (deprecated)": "capital",
    "Transactions": "transactions",
    "Transfers": "transfers",
    "CashOut": "cashouts",
}

ADYEN = Vendor(
    "adyen_like",
    (
        _adyen(
            "payment",
            "PaymentService-v68.json",
            "cbc5406a2df1 (2026-05-14)",
            api="payment",
            version="68",
            tag_resources={"Payments": "payments", "Modifications": "modifications"},
        ),
        # The three tags of the Payout API (Initialization, Reviewing, Instant payouts) name
        # steps of one six-operation workflow; one ``payouts`` resource reads better, and
        # the reviewer credential is routed per operation anyway.
        _adyen(
            "payout",
            "PayoutService-v68.json",
            "fe790646de44 (2026-06-15)",
            api="payout",
            version="68",
            grouping="single",
            resource="payouts",
            credentials={
                "post-confirmThirdParty": "reviewer",
                "post-declineThirdParty": "reviewer",
            },
        ),
        _adyen(
            "recurring",
            "RecurringService-v68.json",
            "8631ec116532 (2026-06-17)",
            api="recurring",
            version="68",
            grouping="single",
            resource="recurring",
        ),
        _adyen(
            "notification_configuration",
            "NotificationConfigurationService-v6.json",
            "40f58bf7db14 (2024-03-21)",
            api="notification_configuration",
            version="6",
            grouping="single",
            resource="notification_configuration",
        ),
        _adyen(
            "terminal_management",
            "TfmAPIService-v1.json",
            "9a8c34765a53 (2026-05-01)",
            api="terminal_management",
            version="1",
            grouping="single",
            resource="terminal_management",
        ),
        _adyen(
            "transfers_v3",
            "TransferService-v3.json",
            "3f48042f04c3 (2026-06-04)",
            api="transfers_v3",
            version="3",
            namespace="transfers_v3",
            tag_resources=_TRANSFER_TAGS,
            method_names=_TRANSFER_NAMES,
        ),
        _adyen(
            "transfers_v4",
            "TransferService-v4.json",
            "3f48042f04c3 (2026-06-04)",
            api="transfers",
            version="4",
            namespace="transfers_v4",
            tag_resources=_TRANSFER_TAGS,
            method_names=_TRANSFER_NAMES,
        ),
        _adyen(
            "webhooks",
            "Webhooks-v1.json",
            "02d10c011052 (2026-06-19)",
            models_only=True,
            lenient=True,
        ),
        _adyen(
            "marketpay_notifications",
            "MarketPayNotificationService-v6.json",
            "8e528c448709 (2024-09-16)",
            models_only=True,
            lenient=True,
        ),
    ),
)

_AIRFLOW_TAGS = {
    "DAG": "dags",
    "DAGRun": "dag_runs",
    "DagRun": "dag_runs",
    "TaskInstance": "task_instances",
    "Task Instance": "task_instances",
    "XCom": "xcom_entries",
    "Config": "config",
    "Monitoring": "monitoring",
    "Monitor": "monitor",
    "Version": "version",
    "Login": "login",
    "DAG Parsing": "dag_parsing",
    "Extra Links": "extra_links",
    "DagStats": "dag_stats",
    "Asset State Store": "asset_state_store",
    "Task State Store": "task_state_store",
}
_AIRFLOW_NOUNS = {
    "dags": ("dag", "dags"),
    "dag_runs": ("dag_run", "dag_runs"),
    "task_instances": ("task_instance", "task_instances"),
    "xcom_entries": ("xcom_entry", "xcom_entries"),
    "config": ("config", "configs"),
    "dag_stats": ("dag_stats", "dag_stats"),
    # (the plural forms do not occur: every state-store operation is singular)
    "asset_state_store": ("asset_state_store", "asset_state_stores"),
    "task_state_store": ("task_state_store", "task_state_stores"),
    "version": ("version", "versions"),
    "dag_parsing": ("dag", "dags"),
}
_AIRFLOW_WHEEL = "PyPI wheel {wheel}, {inner}"

AIRFLOW = Vendor(
    "airflow_like",
    (
        Spec(
            key="v1",
            file="airflow/airflow-2.10.5-v1.yaml",
            api="v1",
            version="1",
            namespace="v1",
            tag_resources=_AIRFLOW_TAGS,
            nouns=_AIRFLOW_NOUNS,
            read_only=("get_dag_runs_batch", "get_task_instances_batch"),
            method_names={
                "get_dag_runs_batch": "list_batch",
                "get_task_instances_batch": "list_batch",
                "get_mapped_task_instances": "list_mapped",
                "post_set_task_instances_state": "set_task_instances_state",
                "post_clear_task_instances": "clear_task_instances",
                "get_value": "get_value",
                "get_dag_dataset_queued_events": "list_dag_queued_events",
                "get_dag_dataset_queued_event": "get_dag_queued_event",
                "delete_dag_dataset_queued_events": "delete_dag_queued_events",
                "delete_dag_dataset_queued_event": "delete_dag_queued_event",
                "get_dataset_queued_events": "list_queued_events",
                "delete_dataset_queued_events": "delete_queued_events",
                "get_dataset_events": "list_events",
                "create_dataset_event": "create_event",
            },
            origin=_AIRFLOW_WHEEL.format(
                wheel="apache_airflow-2.10.5-py3-none-any.whl (sha256 4c6d1915...2782079ca0)",
                inner="airflow/api_connexion/openapi/v1.yaml",
            ),
            revision="apache-airflow 2.10.5 (release)",
            licence="Apache-2.0",
        ),
        Spec(
            key="v2",
            file="airflow/airflow-core-3.3.2-v2-rest-api-generated.yaml",
            api="v2",
            version="2",
            namespace="v2",
            tag_resources=_AIRFLOW_TAGS,
            nouns={**_AIRFLOW_NOUNS, "backfills": ("backfill", "backfills")},
            read_only=("get_list_dag_runs_batch", "get_task_instances_batch"),
            method_names={
                "get_list_dag_runs_batch": "list_batch",
                "get_task_instances_batch": "list_batch",
                "get_mapped_task_instances": "list_mapped",
                "post_clear_task_instances": "clear",
                "get_asset_events": "list_events",
                "create_asset_event": "create_event",
                "get_asset_aliases": "list_aliases",
                "get_asset_alias": "get_alias",
                "get_asset_queued_events": "list_queued_events",
                "get_dag_asset_queued_events": "list_dag_queued_events",
                "get_dag_asset_queued_event": "get_dag_queued_event",
                "delete_dag_asset_queued_events": "delete_dag_queued_events",
                "delete_dag_asset_queued_event": "delete_dag_queued_event",
                "delete_asset_queued_events": "delete_queued_events",
                "get_hitl_details": "list_hitl_details",
                "import_errors": "list_import_errors",
                "get_config_value": "get_value",
                "get_dag_tags": "list_tags",
            },
            origin=_AIRFLOW_WHEEL.format(
                wheel="apache_airflow_core-3.3.2-py3-none-any.whl (sha256 99258922...e671bb3c50)",
                inner="airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml",
            ),
            revision="apache-airflow-core 3.3.2",
            licence="Apache-2.0",
        ),
        Spec(
            key="auth",
            file="airflow/airflow-core-3.3.2-v2-simple-auth-manager-generated.yaml",
            api="auth",
            version="0.1.0",
            grouping="single",
            resource="auth",
            default_credential="anonymous",
            origin=_AIRFLOW_WHEEL.format(
                wheel="apache_airflow_core-3.3.2-py3-none-any.whl (sha256 99258922...e671bb3c50)",
                inner=(
                    "airflow/api_fastapi/auth/managers/simple/openapi/"
                    "v2-simple-auth-manager-generated.yaml"
                ),
            ),
            revision="apache-airflow-core 3.3.2",
            licence="Apache-2.0",
        ),
    ),
)

_REPLACES = (
    "Replaces the whole {noun}: a field left out of ``body`` is not kept but erased. To "
    "change a few fields and keep the others, use ``{resource}.safe_update``, which reads "
    "the {noun} first and sends it whole."
)
_PATCHES = (
    "Top-level fields left out of ``body`` are kept, but a value you send replaces the "
    "stored one whole (a list or a nested object is not merged). ``{resource}.safe_update`` "
    "reads the {noun} first, so a nested change keeps the rest of it."
)
#: Airbyte's updates: what each does to the fields a body leaves out.
_AIRBYTE_UPDATE_NOTES = {
    "updateSource": _REPLACES.format(noun="source", resource="sources"),
    "updateDestination": _REPLACES.format(noun="destination", resource="destinations"),
    "updateOperation": _REPLACES.format(noun="operation", resource="operations"),
    "updateConnectorBuilderProject": _REPLACES.format(
        noun="project", resource="connector_builder_projects"
    ),
    "updateConnection": _PATCHES.format(noun="connection", resource="connections"),
    "updateWorkspace": _PATCHES.format(noun="workspace", resource="workspaces"),
}

AIRBYTE = Vendor(
    "airbyte_like",
    (
        Spec(
            key="config",
            file="airbyte/config-platform-v0.50.56.yaml",
            api="config",
            version="1.0.0",
            naming="path",
            exclude_tags=("internal", "public"),
            read_only_rule="airbyte",
            notes=_AIRBYTE_UPDATE_NOTES,
            tag_resources={
                "notifications": "notifications",
                "connector_documentation": "connector_documentation",
                "state": "state",
                "scheduler": "scheduler",
                "source_oauth": "source_oauth",
                "destination_oauth": "destination_oauth",
                "web_backend": "web_backend",
                "jobs": "jobs",
                "secrets_persistence_config": "secrets_persistence_config",
                "health": "health",
                "openapi": "openapi",
                "stream_statuses": "stream_statuses",
                "instance_configuration": "instance_configuration",
                "job_retry_states": "job_retry_states",
                "deployment_metadata": "deployment_metadata",
                "applications": "applications",
                "scoped_configuration": "scoped_configuration",
                "declarative_source_definitions": "declarative_source_definitions",
            },
            method_names={
                "getHealthCheck": "check",
                "getOpenApiSpec": "get",
                "getInstanceConfiguration": "get",
                "getUserInvitation": "get",
                "getDeploymentMetadata": "get",
                "webBackendGetConnection": "get_connection",
                "webBackendCreateConnection": "create_connection",
                "webBackendUpdateConnection": "update_connection",
                "getStateType": "get_state_type",
                "webBackendGetWorkspaceState": "get_workspace_state",
                "createOrUpdateStateSafe": "create_or_update_safe",
            },
            origin=("GitHub airbytehq/airbyte-platform, airbyte-api/src/main/openapi/config.yaml"),
            revision="tag v0.50.56 (7de218d4b443, 2024-02-26; file last changed 2b32cba01f28)",
            licence=(
                "Elastic License 2.0 (repository licence; the file's info.license says MIT; "
                "treated as ELv2 unless the owner decides otherwise)"
            ),
        ),
    ),
)

_APIS_GURU = "GitHub APIs-guru/openapi-directory, APIs/amentum.space/{path}/openapi.yaml"
_AMENTUM_LICENCE = "CC0-1.0 collection (APIs-guru); spec text Copyright Amentum Pty Ltd"


# Ranges the Amentum specs state in their parameter descriptions (the schemas say only
# "number"); tests/vendors/test_amentum_validation.py checks each number against the text.
_LATITUDE = {"minimum": -90, "maximum": 90}
_LONGITUDE = {"minimum": -180, "maximum": 180}
_LONGITUDE_EAST = {"minimum": 0, "maximum": 360}
_LONGITUDE_EITHER = {"minimum": -180, "maximum": 360}  # -180..180 or 0..360
_FLIGHT_ALTITUDE = {"minimum": 0, "maximum": 47}  # km
_ROUTE_ALTITUDE = {"minimum": 0, "maximum": 20}  # km
# ocean depths (m): the listed levels only
_DEPTH_LEVELS = {
    "enum": [
        *(0, 10, 20, 30, 50, 75, 100, 125, 150, 200, 250, 300, 400, 500, 600, 700, 800),
        *(900, 1000, 1100, 1200, 1300, 1400, 1500, 1750, 2000, 2500, 3000, 3500, 4000),
        *(4500, 5000, 5500),
    ]
}
# An airport: a 3-letter IATA or 4-character ICAO code, or "latitude,longitude" in degrees.
_AIRPORT = {"pattern": r"^(?:[A-Za-z]{3,4}|[-+]?\d+(?:\.\d+)?,\s*[-+]?\d+(?:\.\d+)?)$"}
_ROUTE: Mapping[str, Mapping[str, object]] = {
    "origin": _AIRPORT,
    "destination": _AIRPORT,
    "altitude": _ROUTE_ALTITUDE,
    "initial_altitude": _ROUTE_ALTITUDE,
    "cruising_altitudes": _ROUTE_ALTITUDE,
    "duration": {"minimum": 0, "maximum": 20},  # hours
}
_PARMA: Mapping[str, Mapping[str, object]] = {
    "altitude": _FLIGHT_ALTITUDE,
    "atmospheric_depth": {"minimum": 0.913, "maximum": 1032.66},  # g/cm2
}
_STATED: Mapping[str, Mapping[str, Mapping[str, Mapping[str, object]]]] = {
    "aviation_radiation": {
        "*": {"latitude": _LATITUDE, "longitude": _LONGITUDE, "altitude": _FLIGHT_ALTITUDE},
        "/parma/ambient_dose": _PARMA,
        "/parma/differential_intensity": _PARMA,
        "/parma/effective_dose": _PARMA,
        "/route/ambient_dose": _ROUTE,
        "/route/effective_dose": _ROUTE,
    },
    "gravity": {"*": {"latitude": _LATITUDE, "longitude": _LONGITUDE}},
    "space_radiation": {"/gcr/flux_dlr": {"energy": {"minimum": 0, "maximum": 1e6}}},  # MeV/n
    "atmosphere": {
        "*": {"geodetic_latitude": _LATITUDE, "geodetic_longitude": _LONGITUDE_EAST},
        "/wam-ipe": {"latitude": _LATITUDE, "longitude": _LONGITUDE_EITHER},
    },
    "geomag": {
        "*": {
            "latitude": _LATITUDE,
            "longitude": _LONGITUDE,
            "altitude": {"minimum": 0, "maximum": 600},  # km
            "year": {"minimum": 2015, "maximum": 2025},  # decimal year
        }
    },
    "ocean": {"*": {"latitude": _LATITUDE, "longitude": _LONGITUDE_EITHER, "depth": _DEPTH_LEVELS}},
}


def _amentum(key: str, name: str, path: str, commit: str, version: str) -> Spec:
    return Spec(
        key=key,
        file=f"amentum/{name}",
        api=key,
        version=version,
        grouping="single",
        resource=key,
        naming="path",
        origin=_APIS_GURU.format(path=path),
        revision=f"APIs-guru commit {commit} (rebuilt; see the collection README)",
        licence=_AMENTUM_LICENCE,
        stated=_STATED[key],
    )


AMENTUM = Vendor(
    "amentum_like",
    (
        _amentum(
            "aviation_radiation",
            "aviation_radiation-1.5.0.yaml",
            "aviation_radiation/1.5.0",
            "0e94c53c6cafb86d0bf9bf39ef528d5c7a7381a5",
            "1.5.0",
        ),
        _amentum(
            "gravity",
            "gravity-1.1.1.yaml",
            "gravity/1.1.1",
            "25d7114b38e0097bc8f84329b56f14210ebcec97",
            "1.1.1",
        ),
        _amentum(
            "space_radiation",
            "space_radiation-1.1.2.yaml",
            "space_radiation/1.1.2",
            "0e94c53c6cafb86d0bf9bf39ef528d5c7a7381a5",
            "1.1.2",
        ),
        _amentum(
            "atmosphere",
            "atmosphere-1.1.1.yaml",
            "atmosphere/1.1.1",
            "25d7114b38e0097bc8f84329b56f14210ebcec97",
            "1.1.1",
        ),
        _amentum(
            "geomag",
            "global-magnet-1.3.0.yaml",
            "global-magnet/1.3.0",
            "0e94c53c6cafb86d0bf9bf39ef528d5c7a7381a5",
            "1.3.0",
        ),
        Spec(
            key="ocean",
            file="amentum/ocean-1.1.1.yaml",
            api="ocean",
            version="1.1.1",
            grouping="single",
            resource="ocean",
            naming="path",
            origin="GitHub amentumspace/amentum-ocean-api, openapi.yaml",
            revision="c9ff60c4e89d43ec97336e007d76312af705d51a (2025-08-11)",
            licence="MIT (Copyright (c) 2025 Amentum Scientific)",
            stated=_STATED["ocean"],
        ),
    ),
)

VENDORS: tuple[Vendor, ...] = (ADYEN, AIRFLOW, AIRBYTE, AMENTUM)
