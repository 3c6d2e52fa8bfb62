"""Reading candidate text, below both the engine and the grader: words and stems, the rubric
phrases a sentence mentions, the sentences that ask something, and integrity guards."""
