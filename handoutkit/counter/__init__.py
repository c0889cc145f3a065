"""The counter app (`make-handouts serve`): staff find, preview, print and share a handout in
the patient's language from a browser. Starlette, served by uvicorn; it reads the same
project, dist/, gate, registry and print path as the command line (no second copy)."""
