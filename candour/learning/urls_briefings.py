"""Learning URLs: briefings."""

urlpatterns = []
