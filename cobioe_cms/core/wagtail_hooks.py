"""Admin of the taxonomies: one "Taxonomies" menu with a listing per vocabulary."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .models import (
    ExpressionSystem,
    GMPStatus,
    Modality,
    OrganisationType,
    Scale,
    SearchSynonym,
    Service,
    TherapeuticArea,
    ValueChainStage,
)


class TermAdmin(ModelAdmin):
    list_display = ("name", "name_fr", "slug", "sort_order")
    search_fields = ("name", "name_fr", "slug")
    ordering = ("sort_order", "name")


def term_admin(term_model, icon: str = "tag", **options) -> type[ModelAdmin]:
    return type(
        f"{term_model.__name__}Admin",
        (TermAdmin,),
        {"model": term_model, "menu_icon": icon, **options},
    )


class SearchSynonymAdmin(ModelAdmin):
    """The sector's acronyms and synonyms (:mod:`.models.synonyms`), beside the
    vocabularies they complete."""

    model = SearchSynonym
    menu_icon = "search"
    list_display = ("name", "expressions", "one_way")
    list_filter = ("one_way",)
    search_fields = ("name", "expressions")
    ordering = ("name",)


class TaxonomyAdminGroup(ModelAdminGroup):
    menu_label = _("Taxonomies")
    menu_icon = "list-ul"
    menu_order = 300
    items = (
        term_admin(
            ValueChainStage,
            "order",
            list_display=("name", "name_fr", "slug", "parent", "sort_order"),
            list_filter=("parent",),
        ),
        term_admin(Modality),
        term_admin(TherapeuticArea),
        term_admin(OrganisationType),
        term_admin(Service),
        term_admin(Scale),
        term_admin(GMPStatus),
        term_admin(ExpressionSystem),
        SearchSynonymAdmin,
    )


modeladmin_register(TaxonomyAdminGroup)
