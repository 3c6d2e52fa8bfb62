"""The interviewer's voice in the browser, and the microphone's hands-free switch.

Gradio's streaming audio output needs an ffmpeg program, which the app does not install, and
starts each sentence a yield late; so the voice is an HTML component that queues one WAV per
sentence and plays them back to back, starting as soon as the first arrives. Barge-in: when the
server hears the candidate over the interviewer, a hidden counter changes and `STOP_VOICE`
stops the playing sentence and drops the rest of that line.
"""

from __future__ import annotations

import base64

import numpy as np

from interviewer.speech.audio import wav_bytes

# The component's value: {"line": which interviewer line, "seq": sentence number, "url": its WAV}.
PLAYER_JS = """
const queue = [];
let playing = null, lastKey = '', line = null, stoppedLine = null;
const voice = {
  stops: 0,  // how often barge-in cut the interviewer off (read by the browser tests)
  stop() { this.stops += 1; queue.length = 0; stoppedLine = line; if (playing) { playing.pause(); playing = null; } },
  playing() { return !!playing && !playing.paused; },
};
window.interviewerVoice = voice;
function playNext() {
  if (playing || !queue.length) return;
  playing = new Audio(queue.shift());
  playing.onended = () => { playing = null; playNext(); };
  playing.play().catch(() => { playing = null; });  // autoplay refused: the line is in the chat
}
watch('value', () => {
  const value = props.value;
  if (!value || typeof value !== 'object' || !value.url) return;
  const key = value.line + ':' + value.seq;
  if (key === lastKey || value.line === stoppedLine) return;
  lastKey = key; line = value.line; queue.push(value.url); playNext();
});
"""

STOP_VOICE = """
(count) => { if (window.interviewerVoice) window.interviewerVoice.stop(); return count; }
"""

# The microphone records while hands-free is on: clicking its own Record or Stop button is the
# only way to start or stop it from the page.
SWITCH_MIC = """
(on) => {
  const wanted = on ? /^\\s*record\\s*$/i : /^\\s*stop\\s*$/i;
  const button = [...document.querySelectorAll('#mic button')].find(b => wanted.test(b.textContent));
  if (button) button.click();
  return on;
}
"""


def sentence_value(line: str, seq: int, rate: int, samples: np.ndarray) -> dict[str, object]:
    url = "data:audio/wav;base64," + base64.b64encode(wav_bytes(samples, rate)).decode("ascii")
    return {"line": line, "seq": seq, "url": url}
