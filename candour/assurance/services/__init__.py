"""Assurance's writers, one module per area. Views, tasks and the demo call these; nothing else writes."""
