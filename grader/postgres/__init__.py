"""PostgreSQL for grading: a throwaway cluster from this machine's binaries (`--db postgres`) or an
existing server (`--db-url`); either way every submission gets a fresh database, dropped after.

The throwaway cluster listens on a Unix socket in a private folder only (no TCP) and is owned by
a keeper process (`python -m grader.postgres`, in its own session) that starts `postgres` and
removes the whole cluster when the grader closes it, or when the grader dies in any way: the
keeper reads its stdin, and the pipe reaches end of file when the grader is gone (Ctrl-C, crash,
SIGKILL). The server runs in a session of its own (Ctrl-C in the terminal does not reach it)
with PR_SET_PDEATHSIG, so it also stops if the keeper itself is killed.

Each submission's database belongs to a role of its own (no superuser): the candidate's processes
and the grader's data connection both log in as that role, through a link to the server's socket
in the submission's run folder (a relay socket for an existing server). Only the grader knows
the superuser's password, and only the superuser may connect to the other databases.

Modules, one job each: `servers` (a throwaway cluster or a given server, each giving a submission
a fresh database), `shared` (one server for a whole run, started on first use), `relay` (a socket
in the sandbox that forwards to a server it cannot see) and `keeper` (the processes that stop
the server and remove what is left, however the grader ends).
"""
