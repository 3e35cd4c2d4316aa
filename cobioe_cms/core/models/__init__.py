from .pages import ContentPage, PortalHomePage
from .synonyms import SearchSynonym, synonym_groups
from .taxonomy import (
    TAXONOMIES,
    ExpressionSystem,
    GMPStatus,
    Modality,
    OrganisationType,
    Scale,
    Service,
    TaxonomyTerm,
    TherapeuticArea,
    ValueChainStage,
)

__all__ = [
    "TAXONOMIES",
    "ContentPage",
    "ExpressionSystem",
    "GMPStatus",
    "Modality",
    "OrganisationType",
    "PortalHomePage",
    "Scale",
    "SearchSynonym",
    "Service",
    "TaxonomyTerm",
    "TherapeuticArea",
    "ValueChainStage",
    "synonym_groups",
]
