"""Amazon Bedrock model ids: inference-profile geographies, routes and region-bearing hosts.

A cross-Region (system-defined) inference profile id is the model id behind a
geography prefix (`eu.anthropic.claude-…`). AWS documents that with a profile
"tied to a specific geography (such as US or EU) … Amazon Bedrock automatically
selects a commercial AWS Region within that geography to process your inference
request. With global inference profiles, Amazon Bedrock automatically selects a
commercial AWS Region to process the request."
(https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html,
read 2026-11-29.) So the region a gateway calls from (`aws_region_name`) is only
the source Region: where the data is processed is the profile's geography.
The geography names are AWS's own (CDK `CrossRegionInferenceProfileRegion`:
GLOBAL, EU "the European area", US, US_GOV "the US GovCloud area", APAC
"the Asia-Pacific area", JP "the Japan area", AU "the Australia area";
https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-bedrock-alpha.CrossRegionInferenceProfileRegion.html,
read 2026-11-29). They are areas, not jurisdictions: AWS's European area is not
the EU (its profiles may route to London or Zurich), and APAC's includes the UAE.
"""

from __future__ import annotations

import re

# profile prefix -> what AWS calls the area it routes within
GEOGRAPHIES: dict[str, str] = {
    "us": "the United States area",
    "us-gov": "the US GovCloud area",
    "eu": "the European area (AWS's, not only EU member states)",
    "apac": "the Asia-Pacific area",
    "jp": "the Japan area",
    "au": "the Australia area",
    "global": "any commercial AWS Region",
}
# LiteLLM routes put before the model id (`bedrock/converse/…`, `bedrock/invoke/…`).
_ROUTES = ("converse/", "invoke/", "converse_like/", "llama/", "deepseek_r1/", "nova/", "qwen3/")
# (compiled on first use, through re's own cache: most configs need neither)
_RUNTIME_HOST = r"(?:^|\.)bedrock-runtime(?:-fips)?\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\."
_ARN = r"^arn:aws[a-z-]*:bedrock:([a-z]{2}(?:-gov)?-[a-z]+-\d):"


def split_route(model: str) -> str:
    """The model id without LiteLLM's route prefixes."""
    if not model.startswith(_ROUTES):  # the usual id, in one test
        return model
    changed = True
    while changed:
        changed = False
        for route in _ROUTES:
            if model.startswith(route):
                model, changed = model[len(route) :], True
    return model


def split_profile(model: str) -> tuple[str | None, str]:
    """(geography prefix or None, the model id behind it)."""
    head, dot, rest = model.partition(".")
    if dot and head in GEOGRAPHIES and rest:
        return head, rest
    return None, model


def region_of_host(host: str | None) -> str | None:
    """The Region in a Bedrock runtime host (`bedrock-runtime.eu-west-1.amazonaws.com`, VPC too)."""
    if not host:
        return None
    m = re.search(_RUNTIME_HOST, host)
    return m.group(1) if m else None


def region_of_arn(model: str) -> str | None:
    if not model.startswith("arn:"):
        return None
    m = re.match(_ARN, model)
    return m.group(1) if m else None
