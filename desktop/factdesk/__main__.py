"""``python -m factdesk`` runs the ``factdesk`` command."""

from factdesk.cli import main

raise SystemExit(main())
