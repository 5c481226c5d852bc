"""The grader: loads katas, scaffolds workspaces, runs hidden checks on sandboxed candidate code."""
