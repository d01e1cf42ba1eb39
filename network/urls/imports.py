from django.urls import path

from network.views import imports

urlpatterns = [
    path("staff/members/export.csv", imports.export_members, name="staff_export"),
    path("staff/imports/", imports.import_list, name="staff_imports"),
    path("staff/imports/new/", imports.import_new, name="staff_import_new"),
    path("staff/imports/template.csv", imports.import_template, name="staff_import_template"),
    path("staff/imports/<int:pk>/", imports.import_detail, name="staff_import_detail"),
]
