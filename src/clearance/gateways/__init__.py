"""Gateway-config readers: one module per format, registered in `READERS`.

A gateway config (LiteLLM proxy, LibreChat, promptfoo, MLflow AI gateway,
Continue) says which models really run where. Each reader turns one such file
into `GatewayDeployment`s; `clearance import` writes them into a manifest and
the drift check compares them with one. `READERS` is the only list of
formats; a reader's module is imported only when its format is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from clearance.gateways.interface import GatewayDeployment

if TYPE_CHECKING:
    from clearance.gateways.interface import GatewayReader

# format name -> module under clearance.gateways
READERS: dict[str, str] = {
    "litellm": "litellm",
    "librechat": "librechat",
    "promptfoo": "promptfoo",
    "mlflow": "mlflow",
    "continue": "continue_",
}

__all__ = ["READERS", "GatewayDeployment", "reader"]


def reader(name: str) -> GatewayReader:
    """The reader of format `name` (a key of READERS)."""
    module = importlib.import_module(f"clearance.gateways.{READERS[name]}")
    return cast("GatewayReader", module)
