"""The LLM layer: one small protocol, its errors, token budgets and test doubles.

Import what the rest of the app needs from here. Importing this package does not import
`openai`: only `interviewer.openai_api` does (`interviewer.openai_api.connect` builds the client).
"""

from interviewer.llm.budget import BudgetedLLM, FittedPrompt, PriceBook, Prices, SessionUsage, TokenBudget
from interviewer.llm.config import LLMSettings, add_cli_arguments, settings_from_args
from interviewer.llm.errors import (
    AuthenticationFailed,
    BadRequest,
    ContextTooLong,
    EndpointNotFound,
    InvalidStructuredOutput,
    LLMConfigError,
    LLMError,
    ModelNotFound,
    RateLimited,
    Refused,
    RequestTimedOut,
    ServerError,
    ServerUnreachable,
    SpeechEndpointNotFound,
    SpeechModelNotFound,
    Truncated,
    UnplayableAudio,
    UnreadableReply,
)
from interviewer.llm.protocol import Completion, LLMClient, Message, Structured, TextStream, Usage
from interviewer.llm.scrub import scrub

__all__ = [
    "AuthenticationFailed",
    "BadRequest",
    "BudgetedLLM",
    "Completion",
    "ContextTooLong",
    "EndpointNotFound",
    "FittedPrompt",
    "InvalidStructuredOutput",
    "LLMClient",
    "LLMConfigError",
    "LLMError",
    "LLMSettings",
    "Message",
    "ModelNotFound",
    "PriceBook",
    "Prices",
    "RateLimited",
    "Refused",
    "RequestTimedOut",
    "ServerError",
    "ServerUnreachable",
    "SessionUsage",
    "SpeechEndpointNotFound",
    "SpeechModelNotFound",
    "Structured",
    "TextStream",
    "TokenBudget",
    "Truncated",
    "UnplayableAudio",
    "UnreadableReply",
    "Usage",
    "add_cli_arguments",
    "scrub",
    "settings_from_args",
]
