"""The Ambulance Response Programme engine: clock rules, centiles and NHS England's roll-up, as plain Python
on plain values, so that the app and `manage.py arp` compute every response time with the same code."""
