"""A hint's ``# assumed: …`` comment is kept in the file beside the value ``nblint fix`` writes:
a uid (or HOME) nblint assumed for an image it does not know must not pass for one the user
chose once it is written. Before, the applier parsed the hint and the comment was lost.

Each case is a file of ``tests/fixtures/fix/assumed-comment/``.
"""

from __future__ import annotations

import yaml
from conftest import FIXTURES
from test_fix import fixed_text

CASES = FIXTURES / "fix" / "assumed-comment"
ASSUMED_USER = "   # assumed: any non-root uid; check that this container's image runs as it"
ASSUMED_GROUP = "   # assumed: any group; check that this container's image runs as it"


def test_a_z2jh_uid_replaced_keeps_the_assumed_comment() -> None:
    lines = fixed_text(CASES / "z2jh-unknown-image-uid-0.yaml").splitlines()
    assert lines[4] == "  uid: 1000" + ASSUMED_USER


def test_a_manifest_s_replaced_and_added_uids_keep_it() -> None:
    text = fixed_text(CASES / "manifest-unknown-image-uid-0.yaml")
    lines = text.splitlines()
    # Replaced in place (the old value's line). The pod's context (runAsNonRoot: true) is added
    # only in a later round: beside notebook's runAsUser: 0 the kubelet would refuse the pod, so
    # that fix is advice until run-as-user's replaced it; it then keeps the uid written.
    assert lines[9] == "        runAsUser: 1000" + ASSUMED_USER
    assert "    runAsUser: 1000" in lines[12:]
    pod = yaml.safe_load(text)
    assert pod["spec"]["containers"][0]["securityContext"]["runAsUser"] == 1000


def test_a_value_inside_a_flow_map_gets_no_comment() -> None:
    # A comment there would end the flow map's line: the value is written alone.
    text = fixed_text(CASES / "z2jh-flow-map.yaml")
    assert "uid: 1000," in text
    assert "#" not in text
    assert yaml.safe_load(text)["singleuser"]["uid"] == 1000


def test_one_securitycontext_explains_an_unknown_image_s_uid_and_gid_alike() -> None:
    # Field test 11b D4: the init container's run-as-non-root hint said "any non-root uid" and
    # the notebook's notebook-run-as-user hint "the jupyter docker-stacks group" in one pod
    # securityContext. Nothing makes an unknown image's user the docker-stacks': both are generic.
    text = fixed_text(CASES / "manifest-unknown-image-init-container.yaml")
    assert "docker-stacks" not in text
    lines = text.splitlines()
    context = lines.index("      securityContext:")
    assert lines[context + 1 :] == [
        "        runAsNonRoot: true",
        "        runAsUser: 1000" + ASSUMED_USER,
        "        seccompProfile:",
        "          type: RuntimeDefault",
        "        runAsGroup: 100" + ASSUMED_GROUP,
    ]
    assert yaml.safe_load(text)["spec"]["template"]["spec"]["securityContext"]["runAsGroup"] == 100
