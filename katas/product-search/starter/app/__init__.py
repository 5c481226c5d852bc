"""The catalogue application: database setup, models, schemas and the FastAPI app."""
