"""Session types: psychotherapy, medication visits and team sessions, as validated data.

The registry (`session_types.yaml` beside this file) is the one home of what differs
between types: the codebook pack, the packaged estimator and the report's extra findings.
`SessionType` is the enum the CLI shows as choices; `session_type(name)` looks one up.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .errors import OptionError

DEFAULT = "psychotherapy"


class SessionTypeSpec(BaseModel):
    """What one session type changes in the flow: a registry entry of `session_types.yaml`.

    Unknown keys are refused; the fields are described in the schema.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The type's name, as in a manifest's session_type column.")
    description: str = Field(description="One sentence for the help texts and the docs.")
    codebook_pack: str | None = Field(
        description="Codes added to the default codebook (a file in annotate/markers/packs/)."
    )
    estimator: str = Field(description="The packaged estimator (estimate/estimators/).")
    findings: tuple[str, ...] = Field(description="Extra report findings, by name.")


@cache
def registry() -> dict[str, SessionTypeSpec]:
    """Every session type by name, read once from the packaged `session_types.yaml`.

    Returns
    -------
    dict of str to SessionTypeSpec

    Raises
    ------
    pydantic.ValidationError
        The packaged file is not valid (a broken install or a bad edit).
    """
    text = resources.files(__package__).joinpath("session_types.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return {name: SessionTypeSpec(name=name, **spec) for name, spec in raw.items()}


SessionType = Enum(  # type: ignore[misc]  # built from the registry: the CLI's choices
    "SessionType", {name.upper(): name for name in registry()}, type=str
)
SessionType.__doc__ = "The session types of the registry, as an enum (CLI choices)."
SessionType.__str__ = lambda self: self.value  # type: ignore[method-assign]
NAMES: tuple[str, ...] = tuple(registry())


def session_type(name: str | SessionType | None) -> SessionTypeSpec:
    """The registry entry for `name` (`None` is the default, psychotherapy).

    Raises
    ------
    OptionError
        When `name` is not a registered type; the message lists the valid names.
    """
    key = DEFAULT if name is None else getattr(name, "value", name)
    found = registry().get(str(key).strip().casefold())
    if found is None:
        raise OptionError(f"session type '{key}': expected one of {', '.join(NAMES)}")
    return found
