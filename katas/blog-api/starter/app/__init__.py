"""The blog application: settings, database setup, models, schemas, security and the app."""
