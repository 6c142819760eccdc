"""Kubernetes quantities, read exactly and written as people read them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from nblint.model.quantity import (
    compare_quantities,
    format_quantity,
    is_zero_quantity,
    parse_quantity,
    quantity_ratio,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("500m", Fraction(1, 2)),
        ("2", Fraction(2)),
        ("1.5", Fraction(3, 2)),
        (".5", Fraction(1, 2)),
        ("4Gi", Fraction(4 * 2**30)),
        ("1G", Fraction(10**9)),
        ("1e3", Fraction(1000)),
        ("2E-1", Fraction(1, 5)),
        ("100Ki", Fraction(102400)),
        (0.25, Fraction(1, 4)),
        (3, Fraction(3)),
        ("+1k", Fraction(1000)),
    ],
)
def test_quantities_are_read_exactly(text: object, amount: Fraction) -> None:
    assert parse_quantity(text) == amount


@pytest.mark.parametrize("text", ["", "2 GB", "1.2.3", "Gi", "1ki", True, None, [1], "1e99999"])
def test_what_is_not_a_quantity(text: object) -> None:
    assert parse_quantity(text) is None


def test_0_1_plus_0_2_is_300m() -> None:
    total = parse_quantity("0.1")
    other = parse_quantity(0.2)
    assert total is not None and other is not None
    assert format_quantity(total + other, "cpu") == "300m"


@pytest.mark.parametrize(
    ("amount", "resource", "text"),
    [
        (Fraction(2), "cpu", "2"),
        (Fraction(5, 2), "cpu", "2500m"),
        (Fraction(2 * 2**30), "memory", "2Gi"),
        (Fraction(1500 * 10**6), "requests.memory", "1500M"),
        (Fraction(7767448354), "memory", "7767448354 (~7.2Gi)"),
        (Fraction(4), "nvidia.com/gpu", "4"),
        (Fraction(10 * 2**30), "requests.storage", "10Gi"),
        # A fraction of a byte (a JWA limit factor 1.2 on 1Gi): not 1288490188800m.
        (Fraction(12 * 2**30, 10), "limits.memory", "1.2Gi"),
        (Fraction(3 * 2**20, 10), "memory", "307.2Ki"),
        (Fraction(15 * 10**8, 10**9) * 10**9 + Fraction(1, 2), "memory", "1500000000500m (~1.4Gi)"),
    ],
)
def test_quantities_are_written_as_people_read_them(
    amount: Fraction, resource: str, text: str
) -> None:
    assert format_quantity(amount, resource) == text


@pytest.mark.parametrize(
    "value",
    [0, 0.0, -0.0, "0", " 0 ", "00", "0.", ".0", "0.000", "+0", "-0", "0Gi", "0m", "0k", "0e3",
     "0E-2", 1, "1", "0.5", "500m", "1Gi", "1e-3", True, False, None, "", "zero", "0x0", "0 Gi",
     "{{ .Values.gpus }}", [], {}],
)  # fmt: skip
def test_a_zero_quantity_is_what_the_exact_reading_calls_zero(value: object) -> None:
    exact = parse_quantity(value)
    assert is_zero_quantity(value) == (exact is not None and exact == 0)


@pytest.mark.parametrize(
    ("one", "other", "order"),
    [
        ("300m", 0.3, 0),
        ("1Gi", "1024Mi", 0),
        ("24Gi", "4G", 1),
        ("4G", "4Gi", -1),
        (1, "500m", 1),
        ("0.1", "100m", 0),
        (25769803776, "24Gi", 0),
        ("1e3", "1k", 0),
        ("-1.5", "-1500m", 0),
        ("lots", "1", None),
    ],
)
def test_quantities_compare_as_kubernetes_compares_them(
    one: object, other: object, order: int | None
) -> None:
    assert compare_quantities(one, other) == order


@pytest.mark.parametrize("value", ["500m", ".5", "+3.", "1.25Ki", "2E-1", 0.1, 1e-5, 1e16, -2.5, 7])
def test_the_exact_ratio_is_the_amount(value: object) -> None:
    ratio = quantity_ratio(value)
    assert ratio is not None and Fraction(*ratio) == parse_quantity(value)
