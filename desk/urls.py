from django.urls import path

from desk import feeds, views

app_name = "desk"
urlpatterns = [
    path("desk/", views.my_desk, name="my_desk"),
    path("desk/digest/", views.digest_setting, name="digest_setting"),
    path("desk/calendar/renew/", feeds.renew_calendar_secret, name="renew_calendar_secret"),
    path("calendar/<str:secret>.ics", feeds.calendar_feed, name="calendar_feed"),
]
