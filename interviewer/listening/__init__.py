"""The listener: reads each candidate turn into what it does (answers, clarifying questions, a
request to repeat, being stuck, a meta question, a correction, an aside, an attempt to instruct),
so the engine can reply to what was said rather than to keywords."""
