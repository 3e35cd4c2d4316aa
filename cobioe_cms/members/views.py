"""Member pages: dashboard, organisations (create, claim, edit, submit, invite),
invitations, and the account's data (export, deletion)."""

from __future__ import annotations

import json
import mimetypes

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cobioe_cms.actors.models import ActorPage
from cobioe_cms.core.ratelimit import allow

from . import gdpr
from . import organisations as orgs
from .auth import verified_member_required
from .forms import ClaimForm, DeleteAccountForm, InvitationForm, OrganisationForm
from .models import Claim, Invitation, PendingLogo

DAY = 24 * 3600
LOGO_UPLOADS_PER_DAY = 5
IN_REVIEW_MESSAGE = _lazy(
    "The editors are reviewing this profile: changes cannot be saved until they decide. "
    "What you typed is still in the form below; to save it now, withdraw the profile "
    "from review."
)


def _actor_or_404(pk: int) -> ActorPage:
    return get_object_or_404(ActorPage, pk=pk)


def _editable_actor(request, pk: int) -> ActorPage:
    """The organisation if the user represents it; 404 otherwise (no hint that a draft
    of someone else exists)."""
    actor = _actor_or_404(pk)
    if not orgs.can_edit(request.user, actor):
        raise Http404
    return actor


@verified_member_required
def dashboard(request):
    organisations = [
        {"actor": actor, "status": orgs.status_of(actor)}
        for actor in orgs.organisations_of(request.user)
    ]
    claims = Claim.objects.filter(user=request.user).select_related("actor")[:20]
    return render(
        request,
        "cobioe_members/dashboard.html",
        {"organisations": organisations, "claims": claims},
    )


@verified_member_required
def suggest(request):
    """Existing organisations that look like the one being typed (JSON)."""
    name = request.GET.get("name", "")[:200]
    website = request.GET.get("website", "")[:300]
    matches = orgs.suggest_existing(name, website) if len(name) >= 3 or website else []
    return JsonResponse(
        {
            "matches": [
                {
                    "title": actor.title,
                    "city": actor.city,
                    "country": str(actor.country),
                    "url": actor.url,
                    "claim_url": reverse("members:claim", args=[actor.pk]),
                }
                for actor in matches
            ]
        }
    )


@verified_member_required
def create_organisation(request):
    parent = orgs.default_cartography()
    if parent is None:
        raise Http404
    form = OrganisationForm(request.POST or None, request.FILES or None)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        suggestions = orgs.suggest_existing(
            form.cleaned_data["title"], form.cleaned_data.get("website", "")
        )
        if suggestions and not request.POST.get("confirm_new"):
            messages.warning(
                request,
                _(
                    "These organisations are already on the map. Claim yours rather than "
                    "creating a duplicate, or confirm that yours is a different one."
                ),
            )
        elif not allow(f"create-org:{request.user.pk}", 5, DAY):
            messages.error(request, _("You have created many organisations today; try tomorrow."))
        else:
            actor = form.save(commit=False)
            logo = form.cleaned_data.get("logo_file")
            orgs.create_organisation(request.user, actor, parent, logo=logo)
            if logo:
                allow(f"logo:{actor.pk}", LOGO_UPLOADS_PER_DAY, DAY)
            messages.success(
                request,
                _("“%(name)s” is saved as a draft. Check it, then submit it for review.")
                % {"name": actor.title},
            )
            return redirect("members:edit_organisation", actor.pk)
    return render(
        request,
        "cobioe_members/organisation_form.html",
        {"form": form, "suggestions": suggestions, "creating": True},
    )


@verified_member_required
def edit_organisation(request, pk: int):
    actor = _editable_actor(request, pk)
    draft = actor.get_latest_revision_as_object()
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=draft)
    if request.method == "POST":
        withdrawn = "withdraw" in request.POST and orgs.withdraw_from_review(actor, request.user)
        if orgs.in_review(actor):
            # Refused, and re-rendered with what the member typed: nothing is lost.
            messages.error(request, IN_REVIEW_MESSAGE)
        elif form.is_valid() and _logo_allowed(form, actor):
            draft = form.save(commit=False)
            draft.last_reviewed = timezone.now().date()
            try:
                orgs.save_draft(draft, request.user, logo=form.cleaned_data.get("logo_file"))
            except orgs.InReview:  # submitted from another tab meanwhile
                messages.error(request, IN_REVIEW_MESSAGE)
            else:
                if "submit" in request.POST:
                    orgs.submit_for_review(ActorPage.objects.get(pk=actor.pk), request.user)
                    messages.success(request, _("Submitted: the editors will review your changes."))
                    return redirect("members:dashboard")
                if withdrawn:
                    messages.success(
                        request,
                        _(
                            "The profile is withdrawn from review and your changes are "
                            "saved as a draft. Submit it again when it is ready."
                        ),
                    )
                else:
                    messages.success(request, _("Draft saved. Submit it when it is ready."))
                return redirect("members:edit_organisation", actor.pk)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
    return _edit_page(request, actor, form, InvitationForm())


def _edit_page(request, actor, form, invitation_form):
    return render(
        request,
        "cobioe_members/organisation_form.html",
        {
            "form": form,
            "actor": actor,
            "status": orgs.status_of(actor),
            "in_review": orgs.in_review(actor),
            "pending_logo": PendingLogo.objects.filter(actor_id=actor.pk).first(),
            "representatives": actor.representatives.select_related("user"),
            "invitation_form": invitation_form,
        },
    )


def _logo_allowed(form: OrganisationForm, actor: ActorPage) -> bool:
    """At most LOGO_UPLOADS_PER_DAY new logos per organisation; over it, an error on
    the field and nothing saved."""
    if not form.cleaned_data.get("logo_file"):
        return True
    if allow(f"logo:{actor.pk}", LOGO_UPLOADS_PER_DAY, DAY):
        return True
    form.add_error(
        "logo_file",
        _(
            "This organisation's logo was changed %(count)d times today; upload the new "
            "one tomorrow."
        )
        % {"count": LOGO_UPLOADS_PER_DAY},
    )
    return False


@verified_member_required
def pending_logo(request, pk: int):
    """A logo waiting for review, shown to the organisation's representatives and to
    those who may edit its page (the editors); a 404 for anyone else."""
    actor = _actor_or_404(pk)
    if not orgs.can_edit(request.user, actor) and not (
        actor.permissions_for_user(request.user).can_edit()
    ):
        raise Http404
    logo = get_object_or_404(PendingLogo, actor_id=actor.pk)
    content_type = mimetypes.guess_type(logo.file.name)[0] or "application/octet-stream"
    try:
        response = FileResponse(logo.file.open("rb"), content_type=content_type)
    except OSError:
        raise Http404 from None
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@verified_member_required
@require_POST
def submit_organisation(request, pk: int):
    actor = _editable_actor(request, pk)
    orgs.submit_for_review(actor, request.user)
    messages.success(request, _("Submitted: the editors will review your changes."))
    return redirect("members:dashboard")


@verified_member_required
def claim(request, pk: int):
    actor = get_object_or_404(ActorPage.objects.live().public(), pk=pk)
    if orgs.can_edit(request.user, actor):
        messages.info(request, _("You already represent this organisation."))
        return redirect("members:edit_organisation", actor.pk)
    pending = Claim.objects.filter(user=request.user, actor=actor, status="pending").exists()
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and not pending and form.is_valid():
        if not allow(f"claim:{request.user.pk}", 10, DAY):
            messages.error(request, _("You have sent many claims today; try tomorrow."))
        else:
            orgs.request_claim(request.user, actor, form.cleaned_data["message"])
            messages.success(request, _("Your claim was sent to the editors."))
            return redirect("members:dashboard")
    return render(
        request,
        "cobioe_members/claim_form.html",
        {
            "form": form,
            "actor": actor,
            "pending": pending,
            "evidence": bool(orgs.claim_evidence(request.user, actor)),
        },
    )


@verified_member_required
@require_POST
def invite(request, pk: int):
    actor = _editable_actor(request, pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("members:edit_organisation", actor.pk)
    email = form.cleaned_data["email"]
    refusal = orgs.invitation_refusal(request.user, actor, email)
    if refusal:
        # The page again, the address still in its field, the reason beside it.
        messages.error(request, refusal)
        form.add_error("email", refusal)
        draft = actor.get_latest_revision_as_object()
        return _edit_page(request, actor, OrganisationForm(instance=draft), form)
    orgs.invite(actor, email, request.user)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
    return redirect("members:edit_organisation", actor.pk)


@verified_member_required
def accept_invitation(request, token: str):
    invitation = Invitation.objects.filter(token=token[:64]).select_related("actor").first()
    if invitation is None or not orgs.invitation_is_valid(invitation):
        return render(request, "cobioe_members/invitation_invalid.html", status=404)
    verified = request.user.emailaddress_set.filter(
        email__iexact=invitation.email, verified=True
    ).exists()
    if request.method == "POST" and verified:
        orgs.accept_invitation(invitation, request.user)
        messages.success(
            request, _("You now represent “%(name)s”.") % {"name": invitation.actor.title}
        )
        return redirect("members:edit_organisation", invitation.actor.pk)
    return render(
        request,
        "cobioe_members/invitation_accept.html",
        {"invitation": invitation, "verified": verified},
    )


# A person keeps the rights over their data whether or not they verified an address
# (one may lose access to it): export and deletion need a session only.
@login_required
def export_data(request):
    data = gdpr.export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-cobioe-data.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        gdpr.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account was deleted."))
        return redirect("/")
    return render(request, "cobioe_members/delete_account.html", {"form": form})
