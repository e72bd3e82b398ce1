from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from cooperation import views

# The core app's pages: organizations and people, one namespace.
cooperation_patterns = (
    [
        path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
        path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
        path(
            "organizations/<slug:slug>/brief/",
            views.organization_brief,
            name="organization_brief",
        ),
        path(
            "organizations/<slug:slug>/countries.csv",
            views.organization_members_csv,
            name="organization_members_csv",
        ),
        path("people/", views.person_list, name="person_list"),
        path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    ],
    "cooperation",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The language switch on every page, the login page's too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agreements/", include("agreements.urls")),
    path("meetings/", include("meetings.urls")),
    path("", include(cooperation_patterns)),
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
    path("sources/", include("reading.urls")),
    # An account's desk (/desk/) and its calendar feed (/calendar/<secret>.ics).
    path("", include("desk.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "cooperation.views.server_error"
