"""HTTP routers of API v1."""
