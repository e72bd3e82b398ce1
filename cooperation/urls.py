from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cooperation import views

organization_patterns = (
    [
        path("", views.OrganizationListView.as_view(), name="organization_list"),
        path("<slug:slug>/", views.organization_detail, name="organization_detail"),
        path(
            "<slug:slug>/countries.csv",
            views.organization_members_csv,
            name="organization_members_csv",
        ),
    ],
    "cooperation",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agreements/", include("agreements.urls")),
    path("meetings/", include("meetings.urls")),
    path("organizations/", include(organization_patterns)),
    path("sources/<int:pk>/file/", views.source_file, name="source_file"),
    path("sources/", include("reading.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "cooperation.views.server_error"
