"""Learning URLs: training."""

urlpatterns = []
