"""Background jobs (also runnable from cron: `python -m closeout.jobs`)."""
