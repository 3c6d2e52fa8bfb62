"""Everything that speaks OpenAI's HTTP API, and the only package that imports `openai`.

- `chat`: `OpenAICompatibleClient`, the `LLMClient` for chat completions.
- `audio`: `OpenAITranscriber` and `OpenAISynthesizer`, the speech backends on /audio.
- `policy`: the one HTTP policy both use: retries, backoff, and every failure turned into one of
  the project's `LLMError`s with secrets scrubbed out.
- `replies`: reading what a server sent back, strictly, so that a web page or broken JSON is an
  `UnreadableReply` and never a crash; `chat_replies` and `audio_replies` hold what is read of
  each endpoint's reply.
- `sdk`: building the SDK client the same way for every endpoint.
- `recording`: strict record and replay of real conversations, for tests.
- `connect`: the app's chat client from its settings, or None offline; importing it loads nothing.

Importing this package itself loads nothing; import the module you need. The rest of the app
reaches these lazily (`interviewer.openai_api.connect`, `interviewer.speech.select`), so offline runs
never load `openai`.
"""
