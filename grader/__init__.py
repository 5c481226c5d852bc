"""The grader: loads katas, scaffolds workspaces, runs hidden checks against sandboxed candidate code."""
