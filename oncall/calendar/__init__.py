"""Calendar output: ``.ics`` export of shifts and a static folder of subscribable feeds."""
