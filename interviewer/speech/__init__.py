"""Speech for the interview: speech-to-text, text-to-speech, and delivery metrics.

Offline by default, with models installed from PyPI and loaded at first use (faster-whisper
with Whisper base, piper with en_US-joe-medium); INTERVIEWER_SPEECH=openai uses a configured
OpenAI-compatible server's /audio endpoints instead (`interviewer.openai_api.audio`, which
`speech_backends` imports only then). Importing this package loads no model, no speech runtime
and no `openai`.
"""

from interviewer.speech.metrics import DeliveryMetrics, Pause, combine_delivery, measure_delivery
from interviewer.speech.model_files import SpeechModelError
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Segment, Synthesizer, Transcriber, Transcript, Word
from interviewer.speech.select import FallbackSynthesizer, FallbackTranscriber, speech_backends
from interviewer.speech.whisper_stt import WhisperTranscriber

__all__ = [
    "DeliveryMetrics",
    "FallbackSynthesizer",
    "FallbackTranscriber",
    "Pause",
    "PiperSynthesizer",
    "Segment",
    "SpeechModelError",
    "Synthesizer",
    "Transcriber",
    "Transcript",
    "WhisperTranscriber",
    "Word",
    "combine_delivery",
    "measure_delivery",
    "speech_backends",
]
