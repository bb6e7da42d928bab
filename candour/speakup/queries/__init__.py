"""Read models for case work, one module for each part of the work: `cases` (one case, and who may work
it), `inbox` (the cases to work), `day` (the team's day: tasks, referrals, messages) and `patterns`.

Lists load only what they show. Where a page shows what a case says (a task, who it is about), opening it
is recorded like opening the case (docs/adr/0019).
"""
