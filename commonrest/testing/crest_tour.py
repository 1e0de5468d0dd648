"""A short offline tour of the Common REST client, run against the in-memory server.

``run_crest_tour()`` creates users, queries them with a filter, pages through them, patches
one, and provokes a revision conflict, printing a line for each step. Nothing touches the
network.
"""

from __future__ import annotations

from collections.abc import Callable

from .._errors import PreconditionFailedError
from ..crest._filters import field
from ..crest._patch import Patch
from .crest_server import CrestServer

__all__ = ["run_crest_tour"]


def run_crest_tour(print_fn: Callable[[str], object] = print) -> None:
    """Walk through create, filtered query, paging, patch and a revision conflict."""
    server = CrestServer("https://idm.example.test/openidm")
    server.add_collection("/managed/user", set_fields=["/roles"])

    with server.client() as client:
        users = client.resource("/managed/user")

        created = users.create({"userName": "bjensen", "givenName": "Babs", "roles": ["staff"]})
        print_fn(
            f"create: POST ?_action=create -> _id={created.id} _rev={created.revision} "
            f"Location={created.location}"
        )
        for i in range(11):
            users.create({"userName": f"user{i:02d}", "givenName": f"User {i}"}, id=f"u{i:02d}")
        print_fn("create: 11 more users with PUT and If-None-Match: *")

        query = field("/userName").sw("user") & field("/givenName").co("1")
        matches = [u["userName"] for u in users.query(query)]
        print_fn(f"query: _queryFilter={query.render()} -> {', '.join(matches)}")

        pager = users.query(
            field("/userName").pr(), page_size=5, total_paged_results_policy="EXACT"
        )
        for number, page in enumerate(pager.pages(), start=1):
            names = ", ".join(u["userName"] for u in page.items)
            print_fn(
                f"page {number}: {names} (total {page.data.total_paged_results}, "
                f"remaining {page.data.remaining_paged_results})"
            )

        current = users.read(created.id)
        patched = users.patch(
            created.id,
            Patch().add("/roles", ["admin", "staff"]).replace("/givenName", "Barbara"),
            revision=current["_rev"],
        )
        print_fn(
            f"patch: roles={patched['roles']} givenName={patched['givenName']} "
            f"_rev {current['_rev']} -> {patched['_rev']}"
        )

        try:
            users.update(created.id, {**current, "givenName": "stale"})
        except PreconditionFailedError as error:
            print_fn(f"conflict: updating with _rev {current['_rev']} -> {error.status_code} "
                     f"{type(error).__name__}")  # fmt: skip

        def promote(user: dict[str, object]) -> None:
            user["title"] = "Manager"

        fresh = users.modify(created.id, promote)
        print_fn(f"modify: re-read and updated -> title={fresh['title']} _rev={fresh['_rev']}")


if __name__ == "__main__":  # pragma: no cover
    run_crest_tour()
