from django.contrib import admin

from .models import Area, Indicator, LoadBatch


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "unit", "polarity", "kind", "source", "organisation"]
    list_filter = ["kind", "polarity", "organisation", "is_published"]
    search_fields = ["code", "title"]


@admin.register(LoadBatch)
class LoadBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "created_at", "created_by", "organisation", "row_count"]
    readonly_fields = [f.name for f in LoadBatch._meta.fields]
