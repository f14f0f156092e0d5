"""The service worker's build options (closeout/offline_shell.py), from plain data: which
navigations the shell may answer and which chunks it leaves to the network."""

import re

import pytest

from closeout.offline_shell import NEVER_FROM_CACHE, icon_only_chunks, workbox_config

DENIED = ["/api/v1/sync", "/api/v1/offline/cases?cases=CS-1", "/sales-orders/CS-2026-000001.pdf?for=print",
          "/sales-orders/shared/3.pdf", "/po-documents/4.pdf", "/console/export.csv?status=open", "/catalog/prices.csv",
          "/sign/abc", "/po/abc", "/invitation/abc", "/_event/", "/_upload", "/sw.js",
          "/auth/session?code=abc&next=/", "/auth/signed-out"]  # fmt: skip
ANSWERED = ["/", "/cases/CS-2026-000001", "/console", "/catalog", "/account", "/login", "/new-case"]


@pytest.mark.parametrize("path", DENIED)
def test_server_routes_are_never_answered_from_the_cache(path):
    assert any(re.search(pattern, path) for pattern in NEVER_FROM_CACHE)


@pytest.mark.parametrize("path", ANSWERED)
def test_the_apps_pages_fall_back_to_the_cached_shell(path):
    assert not any(re.search(pattern, path) for pattern in NEVER_FROM_CACHE)


def test_the_worker_never_takes_over_by_itself(tmp_path):
    config = workbox_config(tmp_path, [])
    assert config["skipWaiting"] is False and "runtimeCaching" not in config
    assert {"sign/**", "po/**", "invitation/**"} <= set(config["globIgnores"])


def test_icon_chunks_only_the_dynamic_map_loads_are_left_out(tmp_path):
    icons = {f"icon{i}" for i in range(400)}
    for name in icons:
        (tmp_path / f"{name}-AbCdEf12.js").write_text("export default 1")
    icon_map = ",".join(f'"./{name}-AbCdEf12.js"' for name in sorted(icons))
    (tmp_path / "_cases_-Xy12Ab34.js").write_text(f'import("./camera_scanner-Qq11Ww22.js");{icon_map}')
    (tmp_path / "camera_scanner-Qq11Ww22.js").write_text("")
    (tmp_path / "root-Zz99Yy88.js").write_text('import "./icon7-AbCdEf12.js"')  # a page imports it by name
    left_out = icon_only_chunks(tmp_path, icons)
    assert len(left_out) == 399 and "assets/icon7-AbCdEf12.js" not in left_out
    assert not [n for n in left_out if "camera" in n or "_cases_" in n]
