"""Operations pages, mounted at /operations/."""

app_name = "operations"
urlpatterns: list = []
