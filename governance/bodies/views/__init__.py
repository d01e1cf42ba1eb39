"""Views of the bodies app: the public pages (``public``) and the secretariat's (``staff``)."""
