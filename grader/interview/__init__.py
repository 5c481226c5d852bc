"""The interviewer's side: the session record an interview writes and the scorecard reads."""
