"""The report's thresholds as data (`thresholds.yaml` beside this file, validated on
load): when a reading is called high or low, and when an observation becomes a finding."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..io import packaged_yaml


class Thresholds(BaseModel):
    """The contents of `thresholds.yaml` (scores on the WAI-SR item metric, 1-5)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    high: float = Field(ge=1, le=5, description="an estimate at or above this reads high")
    low: float = Field(ge=1, le=5, description="an estimate below this reads low")
    wide_interval: float = Field(gt=0, le=4, description="a 90% interval this wide is vague")
    talk_share_high: float = Field(gt=0, lt=1, description="therapist share of words")
    minimal_high: float = Field(gt=0, lt=1, description="share of minimal client turns")
    fall: float = Field(gt=0, le=4, description="first-to-last-third drop worth naming")
    repeated: int = Field(ge=1, description="times a client code makes a pattern")
    quotes: int = Field(ge=1, description="quotes shown under a finding")
    ending_upset: float = Field(
        gt=0, le=1, description="negative feeling or confrontation (0-1) that makes an upset ending"
    )

    @model_validator(mode="after")
    def _bands(self) -> Thresholds:
        if self.low >= self.high:
            raise ValueError("low must be below high")
        return self


THRESHOLDS = packaged_yaml(__package__, "thresholds.yaml", Thresholds)
