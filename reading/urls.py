from django.urls import path

from reading import views

app_name = "reading"
urlpatterns = [
    path("<int:pk>/read/", views.source_reading, name="source_reading"),
]
