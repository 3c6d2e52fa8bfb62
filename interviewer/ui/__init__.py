"""The Gradio app: one builder per tab that lays out its components, and thin handlers over the practice service."""
