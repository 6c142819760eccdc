"""Can the notebook's user become root? (``notebook-no-sudo``)

Why Python: ``GRANT_SUDO`` is honoured only by a start script that runs as uid 0, and whether
the container starts as uid 0 when no uid is named is the image's (the notebook-images table).

What it finds in the notebook container:

* ``GRANT_SUDO=yes``, or its image's own sudo switch (the table's ``sudo_grant_env``:
  rocker's ``ROOT=true``, linuxserver's ``SUDO_PASSWORD``), when the container starts as
  root: named (``runAsUser: 0``), or left to an image whose user is root or that the table
  does not know. Started as any other uid (z2jh's default ``singleuser.uid: 1000``, the
  image's own non-root user) or under ``runAsNonRoot``, the start ignores the variable:
  nothing to say.
* ``runAsUser: 0`` in its own securityContext;
* ``allowPrivilegeEscalation: true``: sudo and setuid binaries work.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

GRANTS_SUDO = (
    "notebook container {container} sets {variable} and starts as root: its user can become root"
)
RUNS_AS_ROOT = "notebook container {container} runs as root (runAsUser: 0)"
ESCALATES = (
    "notebook container {container} allows privilege escalation (sudo and setuid binaries work)"
)


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    found = notebook_of(pod)
    if found is None:
        return
    base, container, variables = found
    # (A value from elsewhere, valueFrom, may be empty or false: not said to turn sudo on.)
    granted = podview.sudo_granted(container, from_elsewhere=False)
    own = podview._dict(container.get("securityContext"))
    run_as_user = own.get("runAsUser")
    as_root = type(run_as_user) is int and run_as_user == 0
    escalates = own.get("allowPrivilegeEscalation") is True
    options = impl.builtin_options
    if granted is not None and podview.starts_as_root(pod.spec, container):
        at, variable = granted
        # An image's own switch (rocker's ROOT, linuxserver's SUDO_PASSWORD): the hint says to
        # remove it, not to set GRANT_SUDO, which that image does not read; a patch cannot
        # remove an env entry, so it is advice.
        switch = variable != "GRANT_SUDO"
        # With `runAsUser: 0` said at its own line, this line's hint turns GRANT_SUDO off only
        # (one cause, one edit: the uid is that line's).
        yield RawViolation(
            (*base, "env", at),
            GRANTS_SUDO,
            variables["container"],
            options.get("fix-image-sudo-env")
            if switch
            else options.get("fix-grant-sudo")
            if as_root
            else None,
            variables={**variables, "variable": variable},
            fix_safety="display-only" if switch else None,
        )
    # Without GRANT_SUDO in the environment, the rule's hints without the variable; beside
    # another finding of the rule, each hint fixes its own line's cause.
    alone = granted is None and not (as_root and escalates)
    if as_root:
        yield RawViolation(
            (*base, "securityContext", "runAsUser"),
            RUNS_AS_ROOT,
            variables["container"],
            options.get("fix-without-grant-sudo") if alone else options.get("fix-run-as-user"),
            variables={**variables, "value": 0},
        )
    if escalates:
        yield RawViolation(
            (*base, "securityContext", "allowPrivilegeEscalation"),
            ESCALATES,
            variables["container"],
            options.get("fix-without-grant-sudo") if alone else options.get("fix-escalation"),
            variables={**variables, "value": True},
        )
