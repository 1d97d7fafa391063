"""All HTML pages, in one router (not part of the OpenAPI schema, which is the API's)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from speciosa.web import (
    account_pages,
    alert_pages,
    import_pages,
    journal_pages,
    plan_pages,
    public_pages,
    reminder_pages,
    settings_pages,
    setup_pages,
)

PAGE_ROUTERS = (
    journal_pages.router,
    alert_pages.router,
    plan_pages.router,
    settings_pages.router,
    reminder_pages.router,
    import_pages.router,
    public_pages.router,
    setup_pages.router,
    account_pages.router,
)

router = APIRouter(include_in_schema=False)
for _child in PAGE_ROUTERS:
    router.include_router(_child)


def page_routes() -> list[APIRoute]:
    """Every page route (tests walk them: CSRF on each POST, ids scoped to the person)."""
    return [r for child in PAGE_ROUTERS for r in child.routes if isinstance(r, APIRoute)]
