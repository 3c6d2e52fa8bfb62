"""Start the web app: `python app.py` (what `make run` does). Configuration comes from the environment.

This is the single-user set-up on your own machine: the app listens on 127.0.0.1 only, and its
History also lists the interviews you held in the terminal.
"""

import os
import sys
from pathlib import Path

from interviewer.cli import main

if __name__ == "__main__":
    rubrics = os.environ.get("INTERVIEWER_RUBRICS", str(Path(__file__).parent / "rubrics"))
    port = os.environ.get("INTERVIEWER_PORT", "7860")
    sys.exit(main(["serve", "--rubrics", rubrics, "--port", port, "--local-history", *sys.argv[1:]]))
