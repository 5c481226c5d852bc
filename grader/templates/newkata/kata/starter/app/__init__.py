"""The application: the FastAPI app and its models."""
