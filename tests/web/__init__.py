"""Web tests (a package, so that its conftest has a name of its own under --doctest-modules)."""
