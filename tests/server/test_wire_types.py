"""The server's TypedDicts (platform_server/wire.py) build exactly what its response models document."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from platform_server import schemas, schemas_platform, wire

PAIRS: list[tuple[type[Any], type[BaseModel]]] = [
    (wire.ServerRowJson, schemas.ServerRow),
    (wire.OpResultJson, schemas.OpResult),
    (wire.PushResultJson, schemas.PushOut),
    (wire.ChangeJson, schemas.ChangeOut),
    (wire.ChangesJson, schemas.ChangesOut),
    (wire.SnapshotRowJson, schemas.SnapshotRow),
    (wire.SnapshotJson, schemas.SnapshotOut),
    (wire.StatsJson, schemas.StatsOut),
    (wire.ConfirmationJson, schemas.ConfirmationOut),
    (wire.RefundRequestJson, schemas.RefundRequestOut),
    (wire.CourseReviewJson, schemas_platform.CourseReviewItem),
    (wire.InstitutionRiskJson, schemas_platform.InstitutionRiskOut),
    (wire.PurchaseJson, schemas_platform.PurchaseOut),
]


@pytest.mark.parametrize(("typed", "model"), PAIRS, ids=[m.__name__ for _, m in PAIRS])
def test_each_typed_dict_has_its_models_fields(typed: type[Any], model: type[BaseModel]) -> None:
    assert typed.__required_keys__ | typed.__optional_keys__ == set(model.model_fields)
    required = {name for name, f in model.model_fields.items() if f.is_required()}
    assert required <= typed.__required_keys__


def test_escrow_totals_are_part_of_the_stats() -> None:
    assert wire.EscrowTotalsJson.__required_keys__ <= wire.StatsJson.__required_keys__
