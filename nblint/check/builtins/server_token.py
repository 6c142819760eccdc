"""A Jupyter server started on its own with authentication off (``notebook-authentication``, for
the pods of raw manifests; :mod:`.authentication` calls it).

Why Python: the answer is in the server's command line — ``command``, ``args``, a ``sh -c``
script, docker-stacks' ``NOTEBOOK_ARGS`` — read as traitlets reads it, and how far the pod's
port reaches is in other objects of the inputs (the run's fact ``exposed_by``).

What turns authentication off (jupyter_server 2 and Notebook 6 alike): a token set empty on the
command line (``--IdentityProvider.token=''``, ``--ServerApp.token=``, Notebook 6's
``--NotebookApp.token=""``) with no password set there (``--PasswordIdentityProvider.
hashed_password``, ``--ServerApp.password``, ``--NotebookApp.password``). The server still
starts, on any ip: it only logs "All authentication is disabled" (only ``password_required``
with no password stops it). ``JUPYTER_TOKEN=""`` does not: the server reads the variable only
when it is non-empty, and else generates a random token. A value nblint cannot know (``$VAR``,
``$(VAR)``) is taken to be a token or password: nothing is said.

The other servers a notebook workload runs have their own switches: code-server's ``--auth none``
(openvscode-server's ``--without-connection-token``) on the command line, and the image's start
reading a variable (the images table's ``auth_off_env``: rocker's ``DISABLE_AUTH=true``), or
turning the login off when no password variable is set (``auth_env``: linuxserver's code-server
without ``PASSWORD`` or ``HASHED_PASSWORD``), or with the login off whatever is set
(``auth_off_start``: Kubeflow's notebook-server images, token-less behind its gateway, which a
raw workload does not have), where the container runs the image's start.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.targets import RawViolation
from nblint.model.pod import EffectivePod, Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The traitlets that hold the token, by the server that reads them (ServerApp.token is
#: jupyter_server 2's deprecated name of IdentityProvider.token; NotebookApp is Notebook 6's).
TOKENS = frozenset({"--IdentityProvider.token", "--ServerApp.token", "--NotebookApp.token"})
#: The traitlets that hold a password.
PASSWORDS = frozenset(
    {
        "--PasswordIdentityProvider.hashed_password",
        "--ServerApp.password",
        "--NotebookApp.password",
    }
)
#: The fact the run gives a pod that something among the inputs exposes outside the cluster:
#: what, in words (``Service/nb (NodePort)``).
EXPOSED = "exposed_by"  # nblint.model.exposure.FACT, not imported on a plain check's path

ERROR = (
    "container {container} starts {server} with authentication off ({flag}{unless}): "
    "{exposure} {verb} its port outside the cluster, and whoever reaches it runs code in the "
    "container{as_root}"
)
WARNING = (
    "container {container} starts {server} with authentication off ({flag}{unless}): "
    "anyone who reaches the pod's port in the cluster runs code in the container{as_root} "
    "(nothing among the inputs exposes it outside the cluster)"
)


class AuthOff:
    """Where a container turns its server's login off: the path below the container of what to
    edit, the switch as written, the server, what would have kept the login on that is also
    unset (``, and no password``), and the hint's body (below the container's name)."""

    __slots__ = ("as_user", "at", "flag", "hint", "server", "unless", "whole")

    def __init__(
        self,
        at: Path,
        flag: str,
        server: str,
        unless: str,
        hint: str,
        as_user: bool = False,
        whole: bool = False,
    ) -> None:
        self.at, self.flag, self.server, self.unless, self.hint = at, flag, server, unless, hint
        #: Whether the image's start serves its users as its own user whatever uid it starts
        #: as (rocker's RStudio sessions run as $USER, linuxserver's code-server as abc).
        self.as_user = as_user
        #: Whether ``hint`` is the whole hint (a sidecar), not what goes below the container.
        self.whole = whole


PUBLISHED = (
    "container {container} starts {server} with authentication off ({flag}{unless}), and no "
    "annotation asks OpenShift AI's notebook webhook for its authenticating proxy: the notebook "
    "controller publishes the workbench (a Route, or an HTTPRoute on its gateway), and whoever "
    "reaches it runs code in the container{as_root}"
)
#: The hint for a workbench OpenShift AI publishes without its proxy: the annotation.
PROXY_HINT = """\
# ask OpenShift AI's notebook webhook for its authenticating proxy (oauth-proxy on 2.x;
# on 3.x the annotation is notebooks.opendatahub.io/inject-auth, for kube-rbac-proxy):
metadata:
  annotations:
    notebooks.opendatahub.io/inject-oauth: "true"
"""


def check(
    pod: EffectivePod, hint_key: str | None, published: str | None = None
) -> Iterator[RawViolation]:
    """``hint_key``: the fix key of the pod template's hint (the rule's option ``server-hint``),
    under which the hint written from the container's command line goes; None: the rule's.
    ``published``: the fix key of an OpenShift AI workbench that its controller publishes with
    no authenticating proxy (its Kubeflow Notebook's), else None: a raw manifest's pod."""
    containers = podview.items(pod.spec.get("containers"))
    for index, container in enumerate(containers):
        if not isinstance(container, dict):
            continue
        found = auth_off(container)
        if found is None:
            continue
        base: Path = ("spec", "containers", index)
        name = container.get("name")
        name = name if isinstance(name, str) and name else f"#{index}"
        exposure = exposed(pod, container, base)
        root = not found.as_user and podview.runs_as_root(pod.spec, container)
        as_root = " as root" if root else ""
        variables = {
            "container": name,
            "value": found.flag,
            "flag": found.flag,
            "server": found.server,
            "unless": found.unless,
            "as_root": as_root,
        }
        hint = found.hint if found.whole else _hint(name, found.hint)
        fix = {hint_key: hint} if hint_key else None
        if published is not None and not exposure:
            yield RawViolation(
                (*base, *found.at),
                PUBLISHED.format(**variables),
                name,
                {published: PROXY_HINT},
                variables=variables,
                severity="warning",
            )
        elif exposure:
            yield RawViolation(
                (*base, *found.at),
                ERROR.format(**variables, exposure=", ".join(exposure), verb=_verb(exposure)),
                name,
                fix,
                variables={**variables, "exposure": ", ".join(exposure)},
            )
        else:
            yield RawViolation(
                (*base, *found.at),
                WARNING.format(**variables),
                name,
                fix,
                variables=variables,
                severity="warning",
            )


def auth_off(container: dict[str, Any]) -> AuthOff | None:
    """How ``container`` turns its server's login off, if it does (Jupyter's empty token, then
    code-server's flags, then the image's variables)."""
    jupyter = token_off(container)
    if jupyter is not None:
        at, flag = jupyter
        return AuthOff(at, flag, "Jupyter", ", and no password", _jupyter_fix(container))
    flags = _flag_off(container)
    if flags is not None:
        return flags
    return _env_off(container)


def _every_release_off(container: dict[str, Any]) -> AuthOff | None:
    """For an image whose release the table cannot tell (``:latest``, no tag): the start's
    login off when every release's row says the same (``auth_off_start``), else None."""
    from nblint.check import images

    image = container.get("image")
    if not isinstance(image, str) or not any(
        marker in image for marker in ("kubeflownotebookswg", "notebook-servers")
    ):
        return None  # (cheap first: only Kubeflow's rows say it)
    found: AuthOff | None = None
    releases: set[str] = set()
    for row in images.release_rows(image):
        # The first row of a release wins, as in a lookup: a later one of the same tag_version
        # (the family's catch-all pattern) is not this image's.
        if str(row.get("tag_version")) in releases:
            continue
        releases.add(str(row.get("tag_version")))
        if not row.get("auth_off_start") or not images.start_runs(container, row):
            return None
        said = _start_off(container, row)
        if said is None or (
            found is not None and (said.flag, said.server) != (found.flag, found.server)
        ):
            return None
        found = found or said
    return found


def _start_off(container: dict[str, Any], entry: dict[str, Any]) -> AuthOff | None:
    """The image's own start runs its server with the login off (the images table's
    ``auth_off_start``: Kubeflow's notebook servers), said at the container's image."""
    from nblint.check import images

    image = container.get("image")
    repository = images.parse_image(image).repository if isinstance(image, str) else ""
    for option in podview.items(entry.get("auth_off_start")):
        if not isinstance(option, dict) or not isinstance(option.get("start"), str):
            continue
        when = option.get("when")
        if when is not None and not images.glob(str(when)).match(repository):
            continue
        kind = str(entry.get("server") or "the server")
        return AuthOff(
            ("image",),
            f"the image's own start runs it with {option['start']}",
            _SERVER_NAMES.get(kind, kind),
            "",
            _start_fix(kind, entry),
            whole=kind not in ("jupyter", "code-server"),
        )
    return None


#: code-server's (and openvscode-server's) command-line switches that turn the login off: the
#: flag, the value that does (None: the flag alone).
SERVER_FLAGS = {"--auth": "none", "--without-connection-token": None}
_SERVERS = {"--auth": "code-server", "--without-connection-token": "openvscode-server"}


def _flag_off(container: dict[str, Any]) -> AuthOff | None:
    """``--auth none`` (``--auth=none``) or ``--without-connection-token`` in the container's
    command line; the last ``--auth`` wins."""
    words: list[tuple[Path, str]] = []
    for key in ("command", "args"):
        for at, text in enumerate(podview.items(container.get(key))):
            if isinstance(text, str) and ("--auth" in text or "connection-token" in text):
                words.extend(((key, at), word) for word in _split(text))
            elif isinstance(text, str):
                words.append(((key, at), text))
    found: tuple[Path, str, str] | None = None
    for position, (path, word) in enumerate(words):
        flag, equals, value = word.partition("=")
        if flag not in SERVER_FLAGS:
            continue
        wanted = SERVER_FLAGS[flag]
        if wanted is None:
            found = (path, flag, flag)
            continue
        if not equals:
            following = words[position + 1][1] if position + 1 < len(words) else None
            if following is None or following.startswith("-"):
                continue
            value = following
        value = _unquoted(value)
        found = (path, flag, word if equals else f"{flag} {value}") if value == wanted else None
    if found is None:
        return None
    path, flag, written = found
    return AuthOff(path, written, _SERVERS[flag], "", _flags_fix(container, flag))


def _env_off(container: dict[str, Any]) -> AuthOff | None:
    """The image's start turns the login off: a variable of its ``auth_off_env`` set to a value
    that does, or none of its ``auth_env`` password variables set (and nothing from elsewhere
    that may set one)."""
    from nblint.check import images

    entry = images.lookup(container.get("image"))
    if entry is None:
        return _every_release_off(container)
    if not (entry.get("auth_off_env") or entry.get("auth_env") or entry.get("auth_off_start")):
        return None
    if not images.start_runs(container, entry):
        return None
    if entry.get("auth_off_start"):
        return _start_off(container, entry)
    kind = str(entry.get("server") or "the server")
    server = _SERVER_NAMES.get(kind, kind)
    env = podview.items(container.get("env"))
    for switch in podview.items(entry.get("auth_off_env")):
        if not isinstance(switch, dict):
            continue
        wanted = {str(value).lower() for value in podview.items(switch.get("values"))}
        for index, item in enumerate(env):
            if not isinstance(item, dict) or item.get("name") != switch.get("name"):
                continue
            value = item.get("value")
            # Text only: an unquoted `true` is wrong-field-type's, never read as on.
            if isinstance(value, str) and value.lower() in wanted:
                name = switch["name"]
                return AuthOff(
                    ("env", index, "value"),
                    f"{name}={value}",
                    server,
                    "",
                    _password_fix(name),
                    as_user=True,
                )
    needed = [name for name in podview.items(entry.get("auth_env")) if isinstance(name, str)]
    if not needed or container.get("envFrom"):
        return None  # a Secret or ConfigMap it reads whole may set the password
    # A variable the start reads from a file (linuxserver's FILE__PASSWORD) sets it too.
    prefix = entry.get("file_env_prefix")
    names = {*needed, *(f"{prefix}{name}" for name in needed)} if prefix else set(needed)
    for item in env:
        if (
            isinstance(item, dict)
            and item.get("name") in names
            and ("valueFrom" in item or item.get("value") not in (None, ""))
        ):
            return None
    return AuthOff(
        ("image",),
        f"no {' or '.join(needed)} set: the image's start runs it without a login",
        server,
        "",
        _password_fix(None, needed[0]),
        as_user=True,
    )


_SERVER_NAMES = {"rstudio": "RStudio Server", "code-server": "code-server", "jupyter": "Jupyter"}


def _verb(exposure: list[str]) -> str:
    return "exposes" if len(exposure) == 1 else "expose"


def exposed(pod: EffectivePod, container: dict[str, Any], base: Path) -> list[str]:
    """What exposes the container's port outside the cluster, in words; empty when nothing
    among the inputs does: the pod's ``hostNetwork``, a ``hostPort`` of the container, or an
    object the run found (a NodePort or LoadBalancer Service that selects the pod, an Ingress or
    Route to a Service that does)."""
    out: list[str] = []
    if pod.spec.get("hostNetwork") is True:
        out.append("hostNetwork: true")
    for port in podview.items(container.get("ports")):
        if isinstance(port, dict) and port.get("hostPort") not in (None, 0, False):
            out.append(f"hostPort {port.get('hostPort')}")
    found = pod.facts.get(EXPOSED)
    if isinstance(found, list):
        out.extend(str(item) for item in found)
    return out


def token_off(container: dict[str, Any]) -> tuple[Path, str] | None:
    """Where the container's command line turns the token off (its path below the container)
    and the flag as written, when it sets no password; else None. Read as one command line:
    ``NOTEBOOK_ARGS`` (docker-stacks puts it first), ``command``, then ``args``; the last
    setting of a traitlet wins."""
    sources: list[tuple[Path, str]] = []
    for at, item in enumerate(podview.items(container.get("env"))):
        if isinstance(item, dict) and item.get("name") == "NOTEBOOK_ARGS":
            value = item.get("value")
            if isinstance(value, str):
                sources.append((("env", at, "value"), value))
    for key in ("command", "args"):
        for at, text in enumerate(podview.items(container.get(key))):
            if isinstance(text, str):
                sources.append(((key, at), text))
    # Cheap first: most containers never name a token.
    if not any(".token" in text for _, text in sources):
        return None
    words = [(path, word) for path, text in sources for word in _split(text)]
    token: tuple[Path, str, str] | None = None
    password: str | None = None
    for position, (path, word) in enumerate(words):
        flag, equals, value = word.partition("=")
        if flag not in TOKENS and flag not in PASSWORDS:
            continue
        if not equals:
            following = words[position + 1][1] if position + 1 < len(words) else None
            if following is None or following.startswith("-"):
                continue  # a flag without a value: traitlets refuses it, not ours
            value = following
        value = _unquoted(value)
        if flag in TOKENS:
            token = (path, f"{flag}=''" if value == "" else word, value)
        else:
            password = value
    if token is None or token[2] != "" or (password is not None and password != ""):
        return None
    return token[0], token[1]


#: An empty token or password flag in a shell's text, with the space before it.
_EMPTY_FLAG = (
    r"(^|\s+)--(?:IdentityProvider\.token|ServerApp\.token|NotebookApp\.token|"
    r"PasswordIdentityProvider\.hashed_password|ServerApp\.password|NotebookApp\.password)"
    r"(?:=''|=\"\"|=|\s+''|\s+\"\")(?=[\s;&|)]|$)"
)

HINT = """\
spec:
  containers:
    - name: {container}
"""
#: What the hint does, as its first comment lines, by server.
_PROXY = "(or put an authenticating proxy, such as oauth2-proxy, in front of the server)"
JUPYTER_COMMENT = (
    "# a token from a Secret, and the command line without the empty token and password (or "
    "put an\n# authenticating proxy, such as oauth2-proxy, in front of the server):\n"
)


def _hint(name: str, body: str) -> str:
    """The pod template's hint for container ``name``: ``body`` is its comment lines, then what
    goes below the container's name."""
    import json
    import re

    lines = body.splitlines(keepends=True)
    comment = "".join(line for line in lines if line.startswith("#"))
    rest = "".join(line for line in lines if not line.startswith("#"))
    plain = re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name) is not None
    return (
        comment + HINT.replace("{container}", name if plain else _escaped(json.dumps(name))) + rest
    )


def _jupyter_fix(container: dict[str, Any]) -> str:
    """The hint's comment and body for Jupyter: the container's command line without the empty
    token and password flags, and ``JUPYTER_TOKEN`` from a Secret."""
    import json
    import re

    pattern = re.compile(_EMPTY_FLAG)
    lines: list[str] = []
    for key in ("command", "args"):
        items = podview.items(container.get(key))
        kept: list[Any] = []
        skip = False
        for position, item in enumerate(items):
            if skip:
                skip = False
                continue
            if isinstance(item, str) and not any(space in item for space in " \t\n"):
                flag, equals, value = item.partition("=")
                if flag in TOKENS or flag in PASSWORDS:
                    following = items[position + 1] if position + 1 < len(items) else None
                    if equals and _unquoted(value) == "":
                        continue
                    if not equals and isinstance(following, str) and _unquoted(following) == "":
                        skip = True
                        continue
            elif isinstance(item, str):
                item = pattern.sub("", item).strip()
            kept.append(item)
        if kept != items:
            lines.append(f"      {key}: {_escaped(json.dumps(kept))}")
    env = ["        - name: JUPYTER_TOKEN", "          valueFrom:"]
    env.append("            secretKeyRef: {{name: notebook-token, key: token}}")
    arguments = podview.env_value(container, "NOTEBOOK_ARGS")
    if isinstance(arguments, str) and pattern.sub("", arguments) != arguments:
        env.append("        - name: NOTEBOOK_ARGS")
        env.append(f"          value: {_escaped(json.dumps(pattern.sub('', arguments).strip()))}")
    return JUPYTER_COMMENT + "\n".join([*lines, "      env:", *env]) + "\n"


def _flags_fix(container: dict[str, Any], flag: str) -> str:
    """The hint's comment and body for code-server: the command line without the switch, and a
    password from a Secret."""
    import json

    lines: list[str] = []
    for key in ("command", "args"):
        items = podview.items(container.get(key))
        kept: list[Any] = []
        skip = False
        for item in items:
            if skip:
                skip = False
                continue
            if isinstance(item, str) and not any(space in item for space in " \t\n"):
                if item == flag and flag == "--auth":
                    skip = True
                    continue
                if item == flag or item.partition("=")[0] == flag:
                    continue
            kept.append(item)
        if kept != items:
            lines.append(f"      {key}: {_escaped(json.dumps(kept))}")
    if flag == "--without-connection-token":
        env = [
            "        - name: CONNECTION_TOKEN",
            "          valueFrom:",
            "            secretKeyRef: {{name: server-token, key: token}}",
        ]
        what = "a connection token from a Secret (--connection-token-file)"
    else:
        env = [
            "        - name: PASSWORD",
            "          valueFrom:",
            "            secretKeyRef: {{name: server-password, key: password}}",
        ]
        what = "the command line without --auth none, and a password from a Secret"
    return f"# {what}\n# {_PROXY}:\n" + "\n".join([*lines, "      env:", *env]) + "\n"


#: The hint for a server whose image's own start turns its login off and reads no login from a
#: variable: start it with a login (this replaces the image's start), by server.
_START_COMMANDS = {
    "jupyter": (
        "# the image's own start turns the login off and reads no token: start JupyterLab with\n"
        "# a token from a Secret instead (this command replaces the image's start, and its\n"
        "# start-up scripts with it) {proxy}:\n",
        '["jupyter", "lab", "--ip=0.0.0.0", "--port={port}", "--no-browser", '
        '"--notebook-dir={home}"]',
        "JUPYTER_TOKEN",
        "notebook-token, key: token",
    ),
    "code-server": (
        "# the image's own start turns the login off: start code-server with a password from a\n"
        "# Secret instead (this command replaces the image's start, and its start-up scripts\n"
        "# with it) {proxy}:\n",
        '["code-server", "--bind-addr", "0.0.0.0:{port}", "--auth", "password", "{home}"]',
        "PASSWORD",
        "server-password, key: password",
    ),
}
#: The hint for a server whose image's start offers no login nblint knows how to turn on.
_PROXY_SIDECAR = """\
# the image's own start turns {server}'s login off, and nblint knows no command line that
# starts this image's server with a login: put an authenticating proxy in front, such as
# oauth2-proxy as a sidecar (below, with your identity provider's settings), and point the
# Service at the proxy's port (4180) instead of the server's ({port}):
spec:
  containers:
    - name: oauth2-proxy
      image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0
      args: ["--http-address=0.0.0.0:4180", "--upstream=http://127.0.0.1:{port}/"]
      ports:
        - containerPort: 4180
"""


def _start_fix(kind: str, entry: dict[str, Any]) -> str:
    """The hint for an image whose own start turns its server's login off (``auth_off_start``):
    a command line that starts the server with a login from a Secret, where nblint knows one;
    else an authenticating proxy in front (the whole hint)."""
    port = str(entry.get("port") or 8888)
    home = str(entry.get("home") or "/home/jovyan")
    if kind not in _START_COMMANDS:
        server = _SERVER_NAMES.get(kind, kind)
        return _PROXY_SIDECAR.replace("{server}", server).replace("{port}", port)
    comment, command, variable, secret = _START_COMMANDS[kind]
    command = command.replace("{port}", port).replace("{home}", home)
    lines = [
        f"      command: {command}",
        "      env:",
        f"        - name: {variable}",
        "          valueFrom:",
        f"            secretKeyRef: {{{{name: {secret}}}}}",
    ]
    return comment.replace("{proxy}", _PROXY) + "\n".join(lines) + "\n"


def _password_fix(switch: str | None, password: str = "PASSWORD") -> str:
    """The hint's comment and body for an image whose start reads variables: ``switch`` set to
    false (it is a strategic merge by name) and the password from a Secret."""
    env: list[str] = []
    if switch is not None:
        env += [f"        - name: {switch}", '          value: "false"']
    env += [
        f"        - name: {password}",
        "          valueFrom:",
        "            secretKeyRef: {{name: server-password, key: password}}",
    ]
    what = f"{switch} off and a password from a Secret" if switch else "a password from a Secret"
    return f"# {what}\n# {_PROXY}:\n" + "\n".join(["      env:", *env]) + "\n"


def _escaped(text: str) -> str:
    """``text`` inside a hint template: its braces are literal."""
    return text.replace("{", "{{").replace("}", "}}")


def _unquoted(value: str) -> str:
    """The value as traitlets takes it: one pair of matching quotes around it is dropped (an
    ``args`` item ``--ServerApp.token=''`` that no shell read is the empty token)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _split(text: str) -> list[str]:
    """The words of ``text`` as a shell reads them (a ``sh -c`` script, ``NOTEBOOK_ARGS``); one
    word when it has no space or the shell could not read it."""
    if " " not in text and "\t" not in text and "\n" not in text:
        return [text]
    import shlex

    try:
        return shlex.split(text, comments=False)
    except ValueError:
        return text.split()
