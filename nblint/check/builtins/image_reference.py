"""Images the kubelet cannot read as an image reference (``invalid-image-reference``).

Why Python: the grammar of image references (distribution/reference's, ``[domain[:port]/]path
[:tag][@digest]``) as one regular expression costs a cold run ~4 M instructions to compile,
while almost every image is plainly valid, which a few string tests tell
(:func:`nblint.model.names.invalid_reference`: the expression is compiled only for the rest).
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import RawViolation, targets_of
from nblint.model.names import invalid_reference
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    for base, container, variables in targets_of(pod, "container"):
        image = container.get("image")
        if invalid_reference(image):
            yield RawViolation(
                (*base, "image"),
                "",
                variables["container"],
                variables={**variables, "value": image},
            )
