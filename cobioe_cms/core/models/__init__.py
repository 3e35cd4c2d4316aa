from .pages import ContentPage, HomePage
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
    "HomePage",
    "Modality",
    "OrganisationType",
    "Scale",
    "Service",
    "TaxonomyTerm",
    "TherapeuticArea",
    "ValueChainStage",
]
