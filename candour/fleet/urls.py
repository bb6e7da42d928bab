"""Fleet and equipment pages, mounted at /fleet/."""



app_name = "fleet"
urlpatterns = []
