"""The set's pages, by subject: sets (home, set page, rules, commitments), threads (present,
thread, reply, edit, history), rounds, journal, lifecycle and process (facilitator pages)."""
