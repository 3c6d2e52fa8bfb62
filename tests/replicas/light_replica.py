"""`interviewer serve` for the replica tests: the launch-time warm-up only loads the grading model
(embedding all ~7,000 rubric phrases takes both cores for 20 s or more, see tests/ui/conftest.py)."""

import sys

from interviewer.cli import main
from interviewer.practice.setup import PracticeApp

PracticeApp.warm_up = lambda app: app.service.graders.offline.warm_up([])

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
