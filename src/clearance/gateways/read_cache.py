"""Each listed gateway config's deployments, kept between checks by everything the read consulted.

The drift check reads every gateway config a manifest lists on every check, and a
pre-commit hook runs a check for every commit that touches a manifest: reading a
200-deployment LiteLLM config, cold, is most of what `gateways:` adds to one
(issue 14 allows 10 ms in all). When the config has not changed, the read's
answer has not either: it depends only on the bytes of the files it read, the
name findings give the config, the catalogue that resolved its models and
clearance's own code.

So the deployments of a read are stored as JSON (data only: nothing in an entry
can run code) under the SHA-256 of clearance's version, the format, the config's
name and absolute path, the digest of the bundle whose catalogue resolved the
models, and the config's bytes. With them go every other question the read asked
of the disk (`loading/inputs.py`: an included file's bytes, where a link led,
whether a file was there). An entry is used only when every one of those answers
is the same now, so an edited include, a re-pointed link or another bundle is a
miss; a missing, corrupt or foreign entry is a miss too, and a miss is the full
read.

Never stored: a read that fails (its error is worded afresh, at its position,
every time); one whose inputs changed while it ran (a file saved mid-read); one
judged by a bundle without a digest. The cache directory is the other caches'
(`loading/cache.py`): the user's own, writable by nobody else, and off with
CLEARANCE_NO_CACHE=1.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clearance import __version__
from clearance.gateways.interface import GatewayDeployment, Unknown
from clearance.loading import inputs
from clearance.loading.cache import cache_dir
from clearance.loading.tree import read_input_bytes

if TYPE_CHECKING:
    from clearance.bundle.catalogue import Catalogue

# bump when what an entry holds changes shape, or what a reader makes of a file
FORMAT = "1"


def read(fmt: str, path: Path, catalogue: Catalogue | None, bundle_digest: str) -> list[Any]:
    """The deployments of the `fmt` config at `path` (named as findings name it), from the
    cache when every input of the read is as it was; InputError as the reader raises it."""
    from clearance.gateways import reader

    directory = cache_dir()
    if directory is None or not bundle_digest or catalogue is None:
        return reader(fmt).read(path, catalogue)
    shown = str(path)
    # bounded, and refusing a FIFO or device, as the reader's own read
    data = read_input_bytes(path, shown)
    # where the file is, too: its includes are found beside it, and the observations
    # that vouch for them name absolute paths (the same text elsewhere is another read)
    key = _key(fmt, f"{shown}\0{os.path.abspath(path)}", bundle_digest, data)
    entry = directory / f"gateway-{key}.json"
    cached = _load(entry)
    if cached is not None:
        return cached
    with inputs.recording() as log:
        deployments = reader(fmt).read(path, catalogue)
    observations = log.observations()
    # the inputs held still: every answer recorded during the read is the same after it
    if not log.unstable and inputs.unchanged(observations):
        _store(directory, entry, observations, deployments)
    return deployments


def _key(fmt: str, shown: str, bundle_digest: str, data: bytes) -> str:
    head = f"{__version__}\0{FORMAT}\0{fmt}\0{shown}\0{bundle_digest}\0"
    return hashlib.sha256(head.encode("utf-8", "surrogatepass") + data).hexdigest()


def _load(entry: Path) -> list[GatewayDeployment] | None:
    """The entry's deployments when its observations all hold now; None on any kind of miss."""
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        observations = [(str(k), str(p), str(v)) for k, p, v in stored["observations"]]
        if not observations or not inputs.unchanged(observations):
            return None
        return [_deployment(row) for row in stored["deployments"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _deployment(row: list[Any]) -> GatewayDeployment:
    # spelled out, not zipped with names: 200 of these are a third of a hit's time
    (model, served, model_id, provider, region, geography, endpoint, self_hosted, alias) = row[:9]
    file, line, column, unknown = row[9:]
    return GatewayDeployment(
        model=model,
        served=served,
        model_id=model_id,
        provider=provider,
        region=region,
        geography=geography,
        endpoint=endpoint,
        self_hosted=self_hosted,
        unknown=tuple(Unknown(k, f, d) for k, f, d in unknown) if unknown else (),
        alias=alias,
        file=file,
        line=line,
        column=column,
    )


def _store(
    directory: Path, entry: Path, observations: list[inputs.Observation], found: list[Any]
) -> None:
    rows = [  # in _deployment's order
        [
            *(d.model, d.served, d.model_id, d.provider, d.region, d.geography, d.endpoint),
            *(d.self_hosted, d.alias, d.file, d.line, d.column),
            [[u.kind, u.field, u.detail] for u in d.unknown],
        ]
        for d in found
    ]
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    except OSError:
        return  # a cache that cannot be written is only a slower run
    try:
        # dumps, then one write: json.dump encodes chunk by chunk, four times slower
        text = json.dumps({"observations": observations, "deployments": rows})
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, entry)
    except (OSError, TypeError, ValueError):
        Path(tmp).unlink(missing_ok=True)
