"""Profile options that let users type an image (``notebook-unlisted-image-choice``, z2jh).

Why Python: the z2jh normaliser records each ``unlisted_choice`` of the profile a pod belongs to
(in ``EffectivePod.facts``), with the traits its value feeds and its ``validation_regex``; the
rule asks whether one of them sets the image without a regex that pins a registry.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import VALUES, RawViolation
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

IMAGE_TRAITS = ("image", "image_spec")


def _pins_registry(regex: Any) -> bool:
    return isinstance(regex, str) and regex.startswith("^") and "/" in regex


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    for choice in pod.facts.get("unlisted_choices") or []:
        traits = choice.get("traits") or []
        if not any(trait in IMAGE_TRAITS for trait in traits):
            continue
        if _pins_registry(choice.get("validation_regex")):
            continue
        yield RawViolation(
            (VALUES, *choice.get("values_path", ())),
            "",
            variables={"option": choice.get("option"), "value": choice.get("option")},
        )
