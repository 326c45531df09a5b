"""LiteLLM's provider prefixes, and the clearance catalogue provider each one is.

The prefixes are LiteLLM's `LlmProviders` enum (litellm/types/utils.py in
BerriAI/litellm, read 2026-11-29), plus `siliconflow` and `zhipu`, which
LiteLLM's own example config (litellm/proxy/example_config_yaml/
china_domestic_free_sources.yaml) uses through its JSON-configured
OpenAI-compatible providers. A prefix outside this list is not one LiteLLM
knows: it is refused with a "did you mean", never read as a model name.
A prefix mapped to None is a real provider the catalogue does not list yet.
"""

from __future__ import annotations

# LiteLLM prefix -> catalogue provider id (None: not in clearance's catalogue)
CATALOGUED: dict[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "anthropic_text": "anthropic",
    "azure": "azure-openai",
    "azure_text": "azure-openai",
    "bedrock": "aws-bedrock",
    "sagemaker": "aws",
    "sagemaker_chat": "aws",
    "sagemaker_nova": "aws",
    "vertex_ai": "google-vertex",
    "vertex_ai_beta": "google-vertex",
    "gemini": "google-gemini",
    "mistral": "mistral",
    "codestral": "mistral",
    "text-completion-codestral": "mistral",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
    "groq": "groq",
}
# Runtimes the organisation runs itself: the deployment is self-hosted, and the
# provider is its own sites when the endpoint is on its own network.
SELF_HOSTED: frozenset[str] = frozenset(
    {
        "ollama",
        "ollama_chat",
        "hosted_vllm",
        "vllm",
        "lm_studio",
        "llamafile",
        "xinference",
        "docker_model_runner",
        "lemonade",
        "oobabooga",
        "triton",
        "infinity",
        "petals",
    }
)
_OTHERS = """
openai_like jina_ai xai custom_openai cohere cohere_chat clarifai bytez replicate runwayml
huggingface openrouter datarobot ai21 baseten azure_ai nlp_cloud deepinfra perplexity milvus
nvidia_nim cerebras ai21_chat volcengine dashscope moonshot v0 morph lambda_ai deepseek
sambanova maritalk voyage cloudflare friendliai featherless_ai watsonx watsonx_text predibase
databricks empower github compactifai custom litellm_proxy galadriel nebius deepgram elevenlabs
novita aiohttp_openai langfuse humanloop topaz assemblyai github_copilot snowflake gradient_ai
meta_llama nscale pg_vector hyperbolic recraft fal_ai heroku aiml cometapi oci auto_router
vercel_ai_gateway dotprompt wandb ovhcloud siliconflow zhipu
"""
KNOWN: frozenset[str] = frozenset(CATALOGUED) | SELF_HOSTED | frozenset(_OTHERS.split())

# API hosts whose host decides the region, by catalogue provider; the first is the
# endpoint LiteLLM calls when `api_base` is not set. From catalog/providers.yaml, whose
# regions name these hosts and cite the providers' documents: Together's default
# endpoint "do[es] not guarantee either geography" and Mistral's without a region is
# its global one (both `global`); Gemini's API serves from a global pool; Anthropic's
# default (no `inference_geo`) "may run anywhere".
REGION_HOSTS: dict[str, dict[str, str]] = {
    "together": {
        "api.together.ai": "global",
        "api.together.xyz": "global",
        "us-api.together.ai": "us",
        "ca-api.together.ai": "ca",
    },
    "mistral": {"api.mistral.ai": "global", "api.eu.mistral.ai": "eu", "api.us.mistral.ai": "us"},
    "google-gemini": {"generativelanguage.googleapis.com": "global"},
    "anthropic": {"api.anthropic.com": "global"},
}

# OpenAI's data-residency API hosts (catalog/providers.yaml, openai regions).
OPENAI_HOSTS: dict[str, str | None] = {
    "api.openai.com": None,  # no residency: processed wherever OpenAI runs it
    "us.api.openai.com": "us",
    "eu.api.openai.com": "eu",
}


def bare_provider(model: str) -> str | None:
    """The prefix LiteLLM infers for an unprefixed model it knows (`gpt-4o`, `claude-…`).

    Only families whose provider is unambiguous in LiteLLM's model list; anything
    else stays unknown rather than guessed.
    """
    lowered = model.lower()
    if lowered.startswith(
        (
            "gpt-",
            "o1",
            "o3",
            "o4",
            "chatgpt-",
            "dall-e",
            "text-embedding-",
            "whisper-",
            "tts-",
            "davinci",
            "babbage",
        )
    ):
        return "openai"
    if lowered.startswith("claude-"):
        return "anthropic"
    if lowered.startswith(
        ("chat-bison", "text-bison", "codechat-bison", "code-bison", "textembedding-gecko")
    ):
        return "vertex_ai"
    vendor = lowered.split(".", 1)[0]
    if "." in lowered and vendor in {
        "amazon",
        "anthropic",
        "meta",
        "cohere",
        "ai21",
        "mistral",
        "deepseek",
        "qwen",
        "openai",
        "writer",
        "us",
        "eu",
        "apac",
        "jp",
        "au",
        "global",
        "us-gov",
    }:
        return "bedrock"
    return None
