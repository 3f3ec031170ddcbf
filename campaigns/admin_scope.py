"""Admin pages hold only the records of the staff member's regions (campaigns.regions).

A list shows the scope's rows; a change, delete or history page of a row outside the scope is
a 404, as for a row that does not exist; a region chosen in a form must be one of the scope's.
"""

from django.http import Http404

from .models import Region
from .regions import scope_for


class RegionScoped:
    """Mix into a ModelAdmin or an inline (before it) and name the path from the model to
    its Region."""

    region_path = "region"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_for(request.user).q(self.region_path))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Region:
            kwargs["queryset"] = scope_for(request.user).regions()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Region:
            kwargs["queryset"] = scope_for(request.user).regions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RegionScopedAdmin(RegionScoped):
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj
