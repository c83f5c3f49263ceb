"""A static export of the repository's data served by Debian's nginx on 127.0.0.1.

``nginx_url`` is the base URL of nginx serving ``ldpub export`` output with its generated
rules (non-root: temporary folders, its own pid file, ``daemon off``, stopped at the end
of the session); ``export_live_url`` is the live server at the same public URL over the
same data, so that both can be asked the same questions and must answer the same bytes.
Any test may use them (``ldpub check`` runs its checks against both).
"""

from __future__ import annotations

import dataclasses
import getpass
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from server.runtime.export import SITE_DIR, Exported, export_site, static_overrides
from tests.conftest import make_app, served

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# A fixed date: the export and the live server describe the same data version.
DATA_DATE = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class StaticSite:
    public_url: str  # where nginx listens, ending with '/'
    directory: Path
    exported: Exported
    snapshot: object


@pytest.fixture(scope="session")
def static_site(repo_snapshot, tmp_path_factory) -> StaticSite:
    """The repository's data exported for nginx's address (the port is chosen first)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is absent (apt-get install nginx-light)")
    public_url = f"http://127.0.0.1:{free_port()}/"
    snapshot = dataclasses.replace(repo_snapshot, loaded_at=DATA_DATE)
    directory = tmp_path_factory.mktemp("export") / "out"
    exported = export_site({"public_url": public_url}, directory, snapshot=snapshot)
    return StaticSite(public_url, directory, exported, snapshot)


NGINX_MAIN = """daemon off;
user {user};
pid {tmp}/nginx.pid;
error_log stderr warn;
worker_processes 2;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{http}
}}
"""
EXPORT_HTTP = """    include {out}/nginx/ldpub-http.conf;
    server {{
        listen {host}:{port};
        root {out}/{site};
        include {out}/nginx/ldpub-server.conf;
    }}"""


def nginx_conf(tmp: Path, http: str) -> str:
    """nginx's main configuration for a test: in the foreground, its workers running as
    this user, every temporary file in ``tmp``, and ``http`` in its ``http`` block."""
    return NGINX_MAIN.format(user=getpass.getuser(), tmp=tmp, http=http)


def start_nginx(directory: Path, host: str, port: int, tmp: Path) -> subprocess.Popen:
    """nginx over an export, in the foreground; ready when it answers. Its workers run as
    this user (as root, nginx would otherwise switch them to one that cannot read the
    temporary folders)."""
    config = tmp / "nginx.conf"
    config.write_text(nginx_conf(tmp, EXPORT_HTTP.format(out=directory, site=SITE_DIR,
                                                         host=host, port=port)))
    with (tmp / "nginx.log").open("wb") as log:
        process = subprocess.Popen([NGINX, "-e", "stderr", "-p", str(tmp), "-c", str(config)],
                                   stdout=log, stderr=subprocess.STDOUT)
    wait_until_answers(f"http://{host}:{port}", process, tmp / "nginx.log")
    return process


def wait_until_answers(url: str, process: subprocess.Popen | None, log: Path) -> None:
    """Until ``url`` answers anything; the log tells why when the server never does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            requests.get(url + "/robots.txt", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    if process is not None:
        process.kill()
    raise RuntimeError(f"the server did not answer:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def nginx_url(static_site, tmp_path_factory) -> Iterator[str]:
    """nginx serving the export, as ``http://127.0.0.1:PORT`` (no trailing slash)."""
    port = int(static_site.public_url.rsplit(":", 1)[1].strip("/"))
    process = start_nginx(static_site.directory, "127.0.0.1", port,
                          tmp_path_factory.mktemp("nginx"))
    yield static_site.public_url.rstrip("/")
    stop(process)


@pytest.fixture(scope="session")
def export_live_url(static_site) -> Iterator[str]:
    """The live server over the same data, told the same public URL as nginx's."""
    with served(make_app(static_overrides({"public_url": static_site.public_url}),
                         static_site.snapshot)) as url:
        yield url


APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
APACHE_CONF = """ServerRoot {tmp}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {tmp}/httpd.pid
ErrorLog {tmp}/error.log
{modules}
TypesConfig /dev/null
User {user}
Group {group}
DocumentRoot {root}
<Directory {root}>
    AllowOverride All
    Require all granted
</Directory>
"""


@pytest.fixture(scope="session")
def apache_url(static_site, tmp_path_factory) -> Iterator[str]:
    """Debian's Apache over a copy of the export (its workers cannot run as root, so the
    copy is readable by all), serving the generated ``.htaccess``; the public URL stays
    nginx's, so the ``Location`` of a 303 is nginx's address."""
    if not Path(APACHE).exists():
        pytest.skip("apache2 is absent (apt-get install apache2)")
    import grp
    import os
    import pwd
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="ldpub-apache-"))
    root = tmp / "site"
    shutil.copytree(static_site.directory / SITE_DIR, root)
    for path in [tmp, *tmp.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    user = "www-data" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
                        for name in ("mpm_event", "authz_core", "mime", "rewrite", "headers",
                                     "dir", "env"))
    port = free_port()
    config = tmp / "httpd.conf"
    config.write_text(APACHE_CONF.format(tmp=tmp, port=port, root=root, modules=modules,
                                         user=user, group=grp.getgrgid(os.getegid()).gr_name
                                         if os.geteuid() != 0 else "www-data"))
    subprocess.run([APACHE, "-f", str(config), "-k", "start"], check=True, timeout=30)
    wait_until_answers(f"http://127.0.0.1:{port}", None, tmp / "error.log")
    yield f"http://127.0.0.1:{port}"
    subprocess.run([APACHE, "-f", str(config), "-k", "stop"], timeout=30)
    shutil.rmtree(tmp, ignore_errors=True)


CADDY = shutil.which("caddy") or "/usr/bin/caddy"
CADDY_CONF = """{{
    admin off
    auto_https off
}}
http://127.0.0.1:{port} {{
    root * {out}/{site}
    import {out}/Caddyfile.ldpub
}}
"""


@pytest.fixture(scope="session")
def caddy_url(static_site, tmp_path_factory) -> Iterator[str]:
    """Caddy over the export with the generated ``Caddyfile.ldpub`` (the public URL stays
    nginx's, so the ``Location`` of a 303 is nginx's address)."""
    if not Path(CADDY).exists():
        pytest.skip("caddy is absent (apt-get install caddy)")
    tmp = tmp_path_factory.mktemp("caddy")
    port = free_port()
    config = tmp / "Caddyfile"
    config.write_text(CADDY_CONF.format(port=port, out=static_site.directory, site=SITE_DIR))
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "XDG_DATA_HOME": str(tmp),
                   "XDG_CONFIG_HOME": str(tmp)}
    with (tmp / "caddy.log").open("wb") as log:
        process = subprocess.Popen([CADDY, "run", "--config", str(config), "--adapter",
                                    "caddyfile"], stdout=log, stderr=subprocess.STDOUT,
                                   env=environment)
    wait_until_answers(f"http://127.0.0.1:{port}", process, tmp / "caddy.log")
    yield f"http://127.0.0.1:{port}"
    stop(process)
