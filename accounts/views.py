from django.contrib.auth import get_user_model
from django.views.generic import DetailView


class ProfileView(DetailView):
    model = get_user_model()
    template_name = "accounts/profile.html"
    context_object_name = "profile_user"
