"""The practice service: a session's whole flow (start a question or a loop, typed or spoken turns,
hint, next question, end, resume, export), used alike by the browser, the voice path and the terminal.

    app = open_practice(rubrics_dir, settings, db=path)
    for step in app.service.start(owner, "uber-eta"):
        show(step.practice, step.speaking)
"""
