"""Service tests on the in-memory unit of work (tests/fakes/uow.py): no database, milliseconds each."""
