"""Crisis alerts: the alert and its CAP 1.2 form, the lifecycle table, records, the service ministries
use, the alerts active in a region, and what the delivery worker asks of alerts (``broadcasting``)."""
