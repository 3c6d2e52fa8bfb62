"""The Gradio app: one builder function per tab, thin handlers over the engine."""
