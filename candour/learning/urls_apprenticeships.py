"""Learning URLs: apprenticeships."""

urlpatterns = []
