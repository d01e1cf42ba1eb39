from django import forms


class JoinForm(forms.Form):
    """Scaffolding: replaced by the application form."""

    def signup(self, request, user):
        pass
