"""Staff voice pages."""

app_name = "voice"
urlpatterns = []
