"""FactDesk's Qt user interface. Models adapt core objects; all logic lives in ``factdesk.core``."""
