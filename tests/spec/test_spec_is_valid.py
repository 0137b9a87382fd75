"""openapi.yaml is a valid OpenAPI document (the emulator no longer checks it at each start)."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .._openapi import load


def test_the_spec_is_valid_openapi() -> None:
    validate(load())


def test_an_invalid_spec_is_refused() -> None:
    broken = load()
    operation = next(iter(next(iter(broken["paths"].values())).values()))
    operation["responses"] = "none"  # responses must be an object
    with pytest.raises(OpenAPIValidationError):
        validate(broken)
