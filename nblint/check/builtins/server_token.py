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
    "container {container} starts Jupyter with authentication off ({flag}, and no password): "
    "{exposure} {verb} its port outside the cluster, and whoever reaches it runs code in the "
    "container{as_root}"
)
WARNING = (
    "container {container} starts Jupyter with authentication off ({flag}, and no password): "
    "anyone who reaches the pod's port in the cluster runs code in the container{as_root} "
    "(nothing among the inputs exposes it outside the cluster)"
)


def check(pod: EffectivePod, hint_key: str | None) -> Iterator[RawViolation]:
    """``hint_key``: the fix key of the pod template's hint (the rule's option ``server-hint``),
    under which the hint written from the container's command line goes; None: the rule's."""
    containers = podview.items(pod.spec.get("containers"))
    for index, container in enumerate(containers):
        if not isinstance(container, dict):
            continue
        found = token_off(container)
        if found is None:
            continue
        at, flag = found
        base: Path = ("spec", "containers", index)
        name = container.get("name")
        name = name if isinstance(name, str) and name else f"#{index}"
        exposure = exposed(pod, container, base)
        as_root = " as root" if podview.runs_as_root(pod.spec, container) else ""
        variables = {"container": name, "value": flag, "flag": flag, "as_root": as_root}
        fix = {hint_key: _fix(container, name)} if hint_key else None
        if exposure:
            yield RawViolation(
                (*base, *at),
                ERROR.format(**variables, exposure=", ".join(exposure), verb=_verb(exposure)),
                name,
                fix,
                variables={**variables, "exposure": ", ".join(exposure)},
            )
        else:
            yield RawViolation(
                (*base, *at),
                WARNING.format(**variables),
                name,
                fix,
                variables=variables,
                severity="warning",
            )


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
# a token from a Secret, and the command line without the empty token and password (or put an
# authenticating proxy, such as oauth2-proxy, in front of the server):
spec:
  containers:
    - name: {container}
"""


def _fix(container: dict[str, Any], name: str) -> str:
    """The pod template's hint: the container's command line without the empty token and password
    flags, and ``JUPYTER_TOKEN`` from a Secret."""
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
    body = "\n".join([*lines, "      env:", *env])
    plain = re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name) is not None
    return HINT.replace("{container}", name if plain else _escaped(json.dumps(name))) + body + "\n"


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
