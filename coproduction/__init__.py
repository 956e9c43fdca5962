"""The coproduction domain: projects, selection of partners, tasks and claims, service reports."""
