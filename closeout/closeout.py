"""The app object; pages register themselves with @rx.page when their module is imported."""

import reflex as rx

from . import api, api_v1, models, session_routes, settings  # noqa: F401  (tables must be imported for `reflex db`)
from .components.connection import connection_banners
from .failures import on_backend_error
from .jobs.schedule import housekeeping_loop, po_reminder_loop
from .offline_shell import installable_head
from .pages import (  # noqa: F401
    account,
    buyer_po,
    case_page,
    catalog,
    console,
    dashboard,
    directory,
    home,
    invitation,
    login,
    offline,
    remote_sign,
    replenishment,
    tab_tasks,
)
from .pages.case_details import new_case  # noqa: F401
from .pages.health import HealthState
from .pages.users import detail_page, list_page  # noqa: F401
from .security import security_headers

if settings.bench_floor():
    from .pages import bench_floor  # noqa: F401  (the load benchmark's write floor)

app = rx.App(
    api_transformer=[api.routes, api_v1.routes, session_routes.routes, security_headers],
    backend_exception_handler=on_backend_error,
    head_components=[rx.script(src="/screen.js"), *installable_head()],
    stylesheets=["/closeout.css"],
)
# Our offline / database banners in place of Reflex's connection toast. The app's root is
# appended to this fragment, beside the banners.
app.app_wraps[5, "Overlay"] = lambda stateful: rx.fragment(connection_banners(HealthState.database_down)) if stateful else None
app.register_lifespan_task(po_reminder_loop)
app.register_lifespan_task(housekeeping_loop)
tab_tasks.serve_from(app)
