"""Names vulture (``make lint``) must not report as unused: what Django, Wagtail and the
settings use without a Python reference vulture can see. Add a name here only for that
reason; code nothing uses is removed instead."""
# ruff: noqa: B018 (each line only names an attribute, for vulture)

_ = object()

# Application configs (Django loads them from INSTALLED_APPS).
_.ActorsConfig  # class, cobioe_cms/actors/apps.py
_.CommunityConfig  # class, cobioe_cms/community/apps.py
_.CoreConfig  # class, cobioe_cms/core/apps.py
_.DemoConfig  # class, cobioe_cms/demo/apps.py
_.default_auto_field  # variable, cobioe_cms/actors/apps.py
_.MembersConfig  # class, cobioe_cms/members/apps.py
_.NewsConfig  # class, cobioe_cms/news/apps.py
_.OnboardingConfig  # class, cobioe_cms/onboarding/apps.py
_.ready  # method, cobioe_cms/actors/apps.py
_.search_documents  # import, cobioe_cms/actors/apps.py
_.SearchConfig  # class, cobioe_cms/search/apps.py
_.WatchConfig  # class, cobioe_cms/watch/apps.py

# Management commands (Django calls Command.add_arguments and handle).
_.add_arguments  # method, cobioe_cms/demo/management/commands/load_demo.py
_.Command  # class, cobioe_cms/demo/management/commands/load_demo.py
_.handle  # method, cobioe_cms/demo/management/commands/load_demo.py
_.help  # variable, cobioe_cms/demo/management/commands/load_demo.py

# Wagtail hooks and admin menu items and views (registered by decorator).
_.add_pending_logos_panel  # function, cobioe_cms/members/wagtail_hooks.py
_.register_proposal_urls  # function, cobioe_cms/community/wagtail_hooks.py
_.register_proposals_menu_item  # function, cobioe_cms/community/wagtail_hooks.py
_.is_shown  # method, cobioe_cms/onboarding/wagtail_hooks.py
_.list_display  # variable, cobioe_cms/actors/wagtail_hooks.py
_.list_filter  # variable, cobioe_cms/actors/wagtail_hooks.py
_.list_per_page  # variable, cobioe_cms/actors/wagtail_hooks.py
_.menu_icon  # variable, cobioe_cms/actors/wagtail_hooks.py
_.menu_label  # variable, cobioe_cms/actors/wagtail_hooks.py
_.menu_order  # variable, cobioe_cms/actors/wagtail_hooks.py
_.register_claim_urls  # function, cobioe_cms/members/wagtail_hooks.py
_.register_claims_menu_item  # function, cobioe_cms/members/wagtail_hooks.py
_.register_duplicates_menu_item  # function, cobioe_cms/onboarding/wagtail_hooks.py
_.register_email_menu_item  # function, cobioe_cms/members/wagtail_hooks.py
_.register_import_menu_item  # function, cobioe_cms/onboarding/wagtail_hooks.py
_.register_import_urls  # function, cobioe_cms/onboarding/wagtail_hooks.py
_.register_merge_log_actions  # function, cobioe_cms/actors/wagtail_hooks.py
_.register_password_menu_item  # function, cobioe_cms/members/wagtail_hooks.py
_.register_search_admin_urls  # function, cobioe_cms/search/wagtail_hooks.py
_.register_search_menu_item  # function, cobioe_cms/search/wagtail_hooks.py
_.register_two_factor_menu_item  # function, cobioe_cms/members/wagtail_hooks.py
_.register_unrepresented_menu_item  # function, cobioe_cms/members/wagtail_hooks.py

# Signal receivers (connected by decorator).
_.describe_people_of_a_merge  # function, cobioe_cms/members/signals.py
_.invitations_end_with_their_inviter  # function, cobioe_cms/members/signals.py
_.move_people_to_the_kept_organisation  # function, cobioe_cms/members/signals.py
_.on_changes_requested  # function, cobioe_cms/members/signals.py
_.on_profile_approved  # function, cobioe_cms/members/signals.py
_.remove_the_private_file  # function, cobioe_cms/members/signals.py

# System checks (registered by decorator; Django passes app_configs by keyword).
_.app_configs  # variable, cobioe_cms/members/personal_data.py
_.check_finish_action  # function, cobioe_cms/members/review.py
_.check_personal_data  # function, cobioe_cms/members/personal_data.py

# Template tags and filters.
_.actor_totals  # function, cobioe_cms/actors/templatetags/actor_tags.py
_.actors_per_stage  # function, cobioe_cms/actors/templatetags/actor_tags.py
_.groups_of  # function, cobioe_cms/community/templatetags/community_tags.py
_.include_if_installed  # function, cobioe_cms/core/templatetags/core_tags.py
_.main_nav  # function, cobioe_cms/core/templatetags/core_tags.py
_.news_mentioning  # function, cobioe_cms/news/templatetags/news_tags.py
_.represents  # function, cobioe_cms/members/templatetags/member_tags.py

# Form cleaning methods and Meta options (Django calls and reads them).
_.clean_cartography  # method, cobioe_cms/onboarding/forms.py
_.clean_excluded_keywords  # method, cobioe_cms/watch/forms.py
_.clean_file  # method, cobioe_cms/onboarding/forms.py
_.clean_keywords  # method, cobioe_cms/watch/forms.py
_.clean_logo_file  # method, cobioe_cms/members/forms.py
_.clean_password  # method, cobioe_cms/members/forms.py
_.clean_title  # method, cobioe_cms/members/forms.py
_.field_order  # variable, cobioe_cms/members/forms.py
_.help_text  # attribute, cobioe_cms/onboarding/forms.py
_.help_texts  # variable, cobioe_cms/members/forms.py
_.required  # attribute, cobioe_cms/members/forms.py
_.widget  # attribute, cobioe_cms/onboarding/forms.py
_.widgets  # variable, cobioe_cms/members/forms.py

# Model fields, Meta and page options, routable-page routes, queryset and storage
# methods Django and Wagtail read or call.
_.abstract  # variable, cobioe_cms/core/models/taxonomy.py
_.accepted_by  # variable, cobioe_cms/members/models/organisations.py
_.base_location  # method, cobioe_cms/members/models/logos.py
_.constraints  # variable, cobioe_cms/actors/models/search_tokens.py
_.contact_phone  # variable, cobioe_cms/actors/models/actor_page.py
_.deleted_at  # variable, cobioe_cms/members/models/account.py
_.directory  # method, cobioe_cms/actors/models/cartography_page.py
_.domain_matches  # variable, cobioe_cms/members/models/organisations.py
_.duplicate_of  # variable, cobioe_cms/watch/models/items.py
_.edit_handler  # variable, cobioe_cms/actors/models/actor_page.py
_.export_csv  # method, cobioe_cms/actors/models/cartography_page.py
_.export_geojson  # method, cobioe_cms/actors/models/cartography_page.py
_.export_json  # method, cobioe_cms/actors/models/cartography_page.py
_.expression_systems  # variable, cobioe_cms/actors/models/actor_page.py
_.FR  # variable, cobioe_cms/watch/models/items.py
_.in_name  # variable, cobioe_cms/actors/models/search_tokens.py
_.in_terms  # variable, cobioe_cms/actors/models/search_tokens.py
_.INVITATION  # variable, cobioe_cms/community/models/groups.py
_.intro  # variable, cobioe_cms/actors/models/cartography_page.py
_.is_demo  # variable, cobioe_cms/actors/models/actor_page.py
_.LARGE  # variable, cobioe_cms/actors/models/actor_page.py
_.map_data  # method, cobioe_cms/actors/models/cartography_page.py
_.max_bioreactor_volume  # variable, cobioe_cms/actors/models/actor_page.py
_.max_count  # variable, cobioe_cms/core/models/pages.py
_.max_count_per_parent  # variable, cobioe_cms/news/models/news_index_page.py
_.MEDIUM  # variable, cobioe_cms/actors/models/actor_page.py
_.MEMBERS  # variable, cobioe_cms/community/models/groups.py
_.merged_into  # variable, cobioe_cms/actors/models/actor_page.py
_.MICRO  # variable, cobioe_cms/actors/models/actor_page.py
_.news_list  # method, cobioe_cms/news/models/news_index_page.py
_.paragraph  # variable, cobioe_cms/core/models/pages.py
_.parent_page_types  # variable, cobioe_cms/actors/models/actor_page.py
_.partners_sought  # variable, cobioe_cms/actors/models/actor_page.py
_.postcode  # variable, cobioe_cms/actors/models/actor_page.py
_.resolved  # variable, cobioe_cms/members/models/organisations.py
_.review_note  # variable, cobioe_cms/members/models/organisations.py
_.reviewed_at  # variable, cobioe_cms/members/models/organisations.py
_.reviewed_by  # variable, cobioe_cms/members/models/organisations.py
_.scales  # variable, cobioe_cms/actors/models/actor_page.py
_.search_title  # variable, cobioe_cms/news/models/news_page.py
_.services  # variable, cobioe_cms/actors/models/actor_page.py
_.size_band  # variable, cobioe_cms/actors/models/actor_page.py
_.SMALL  # variable, cobioe_cms/actors/models/actor_page.py
_.sort_order  # variable, cobioe_cms/core/models/taxonomy.py
_.subpage_types  # variable, cobioe_cms/actors/models/actor_page.py
_.tag_archive  # method, cobioe_cms/news/models/news_index_page.py
_.tag_feed  # method, cobioe_cms/news/models/news_index_page.py
_.topic_archive  # method, cobioe_cms/news/models/news_index_page.py
_.topic_feed  # method, cobioe_cms/news/models/news_index_page.py
_.uploaded_by  # variable, cobioe_cms/onboarding/models.py
_.verbose_name_plural  # variable, cobioe_cms/onboarding/models.py

# Fields of the search clusters' documents (elasticsearch-dsl reads them).
_.contains_text  # variable, cobioe_cms/news/search_documents.py
_.gmp  # variable, cobioe_cms/actors/search_documents.py
_.is_duplicate  # variable, cobioe_cms/watch/search_documents.py
_.location  # variable, cobioe_cms/actors/search_documents.py
_.sort_title  # variable, cobioe_cms/actors/search_documents.py
_.WATCH_PROFILES  # variable, cobioe_cms/watch/search_documents.py

# Wagtail search backend classes (Wagtail reads these attributes).
_.autocomplete_query_compiler_class  # variable, cobioe_cms/search/wagtail_backend.py
_.mapping_class  # variable, cobioe_cms/search/wagtail_backend.py
_.query_compiler_class  # variable, cobioe_cms/search/wagtail_backend.py
_.results_class  # variable, cobioe_cms/search/wagtail_backend.py

# Named by dotted path in settings or used by the site's URLconf.
_.AccountAdapter  # class, cobioe_cms/members/adapter.py
_.app_name  # variable, cobioe_cms/members/urls.py
_.ContentSecurityPolicyMiddleware  # class, cobioe_cms/core/security.py
_.get_client_ip  # method, cobioe_cms/members/adapter.py
_.ImportFormFieldLimitMiddleware  # class, cobioe_cms/onboarding/middleware.py
_.PercolatorMatcher  # class, cobioe_cms/watch/percolator.py
_.publish_reviewed_revision  # function, cobioe_cms/members/review.py
_.SearchBackend  # variable, cobioe_cms/search/wagtail_backend.py
_.signup  # method, cobioe_cms/members/forms.py
_.SignupForm  # class, cobioe_cms/members/forms.py
_.StaffMFAMiddleware  # class, cobioe_cms/members/auth.py
_.to_account_login  # function, cobioe_cms/members/auth.py
_.to_password_reset  # function, cobioe_cms/members/auth.py

# Read by templates (and e-mail templates).
_.built  # property, cobioe_cms/search/admin_views.py
_.cartography_link  # attribute, cobioe_cms/demo/site_setup.py
_.column_fields  # method, cobioe_cms/onboarding/forms.py
_.digest_text  # attribute, cobioe_cms/watch/digests.py
_.drift  # property, cobioe_cms/search/admin_views.py
_.has_more  # property, cobioe_cms/search/site_search.py
_.is_filtered  # property, cobioe_cms/actors/filters.py
_.is_stale  # property, cobioe_cms/actors/models/actor_page.py
_.lock_expired  # property, cobioe_cms/search/admin_views.py
_.mine_querystring  # property, cobioe_cms/community/filters.py
_.page_range  # variable, cobioe_cms/search/site_search.py
_.rebuilding  # property, cobioe_cms/search/admin_views.py
_.typed_total  # attribute, cobioe_cms/search/site_search.py

# Registered at import time (the binding names the section or index).
_.ACTORS  # variable, cobioe_cms/actors/search_documents.py
_.doc  # variable, cobioe_cms/core/conf.py
_.KEPT_REFERENCES  # variable, cobioe_cms/members/personal_data.py
_.NEWS  # variable, cobioe_cms/news/search_documents.py
_.WATCH_ITEMS  # variable, cobioe_cms/watch/search_documents.py

# Model fields set in code, form fields and modeladmin options declared, library
# attributes assigned (urllib3 pool classes, requests trust_env, an exception cause).
_.__cause__  # attribute, cobioe_cms/watch/ingest/fetch.py
_._files  # attribute, cobioe_cms/onboarding/middleware.py
_._mutable  # attribute, cobioe_cms/onboarding/middleware.py
_._prefetched_objects_cache  # attribute, cobioe_cms/demo/actors.py
_.applied_at  # attribute, cobioe_cms/onboarding/apply.py
_.confirm  # variable, cobioe_cms/members/forms.py
_.decided_by  # attribute, cobioe_cms/community/memberships.py
_.edit_view_class  # variable, cobioe_cms/watch/admin_sources.py
_.inspect_view_class  # variable, cobioe_cms/watch/admin_sources.py
_.inspect_view_enabled  # variable, cobioe_cms/watch/admin_sources.py
_.inspect_view_fields  # variable, cobioe_cms/watch/admin_sources.py
_.latest_revision  # attribute, cobioe_cms/onboarding/create.py
_.logo_file  # variable, cobioe_cms/members/forms.py
_.owner  # attribute, cobioe_cms/members/organisations.py
_.page_ptr_id  # attribute, cobioe_cms/actors/bulk.py
_.permission_helper_class  # variable, cobioe_cms/watch/admin_sources.py
_.pool_classes_by_scheme  # attribute, cobioe_cms/watch/ingest/fetch.py
_.privacy_consent  # variable, cobioe_cms/members/forms.py
_.short_description  # attribute, cobioe_cms/watch/admin_sources.py
_.trust_env  # attribute, cobioe_cms/watch/ingest/fetch.py
_.user_can_create  # method, cobioe_cms/watch/admin_sources.py
_.user_can_edit_obj  # method, cobioe_cms/watch/admin_sources.py
_.year_founded  # attribute, cobioe_cms/onboarding/create.py

# Used only by the tests, on purpose: the cluster's answers compared with the database's
# (and by tests/perf/bench_search.py), the circuit breaker's reset between tests, the
# one-member digest and one-source ingestion the tests drive, the personal-data registry's
# list of providers.
_.build_digest  # function, cobioe_cms/watch/digests.py
_.cluster_facet_counts  # function, cobioe_cms/actors/search_queries.py
_.cluster_matching_ids  # function, cobioe_cms/actors/search_queries.py
_.ingest_source  # function, cobioe_cms/watch/ingest/run.py
_.providers  # function, cobioe_cms/members/personal_data.py
_.reset_breaker  # function, cobioe_cms/search/service.py

# Dead code found in files other engineers are changing in issue 11 (filters,
# importing, page types, core/conf): to be removed there, then from this list.
_.FACETS_BY_KEY  # variable, cobioe_cms/actors/filters.py
_.file_type  # variable, cobioe_cms/onboarding/reader.py
_.has_selection  # property, cobioe_cms/actors/filters.py
_.IMPORT_TERMS  # variable, cobioe_cms/actors/duplicates/merge.py
_.in_country  # method, cobioe_cms/actors/models/actor_page.py
_.rows_scanned  # variable, cobioe_cms/onboarding/reader.py

# The working groups' discussions (issue 12): what Django, Wagtail, allauth and the
# templates call or read.
_.comments_settings  # system check, cobioe_cms/community/checks.py
_.clean_website  # form cleaning, cobioe_cms/community/forms.py
_.clean_honeypot  # form cleaning, cobioe_cms/community/forms.py
_.clean_reply_to  # form cleaning, cobioe_cms/community/forms.py
_.validators  # form field attribute, cobioe_cms/community/forms.py
_.parent_name  # read by templates, cobioe_cms/community/discussion_views/reading.py
_.reply_count  # model field read by templates, cobioe_cms/community/models/discussions.py
_.is_pinned  # model field, cobioe_cms/community/models/discussions.py
_.removed_by  # model field, cobioe_cms/community/models/discussions.py
_.muted_by  # model field, cobioe_cms/community/models/memberships.py
_.NEVER  # choice, cobioe_cms/community/models/discussions.py
_.unread_notifications  # template tag, cobioe_cms/community/templatetags/community_notifications.py
_.group_follow  # template tag, cobioe_cms/community/templatetags/community_notifications.py
_.regex  # URL converter protocol, cobioe_cms/community/urls.py
_.to_url  # URL converter protocol, cobioe_cms/community/urls.py
_.register_discussion_urls  # Wagtail hook, cobioe_cms/community/wagtail_hooks.py
_.register_discussions_menu_item  # Wagtail hook, cobioe_cms/community/wagtail_hooks.py
_.format_email_subject  # allauth adapter method, cobioe_cms/members/adapter.py
_.unregister_digest_section  # used by the tests, cobioe_cms/watch/digest_sections.py
_.sender_label  # read by templates, cobioe_cms/community/admin_relay.py and relay_views.py
_.awaits_me  # read by templates, cobioe_cms/community/relay_views.py
_.last_message_at  # model field, cobioe_cms/community/models/relay.py
_.relayed_to  # model field, cobioe_cms/community/models/relay.py
_.blocked_by  # model field, cobioe_cms/community/models/relay.py
_.resolved_by  # model field, cobioe_cms/community/models/relay.py
_.can_close  # read by templates, cobioe_cms/community/opportunities.py
_.can_reopen  # read by templates, cobioe_cms/community/opportunities.py
_.count_for  # used by the tests, cobioe_cms/community/opportunity_filters.py
_.disabled  # form field attribute, cobioe_cms/community/opportunity_forms.py
_.clean_expires_on  # form cleaning, cobioe_cms/community/opportunity_forms.py
_.clean_subject  # form cleaning, cobioe_cms/community/relay_forms.py
_.explanation  # read by templates, cobioe_cms/community/suggestions.py
_.relay_contact  # template tag, cobioe_cms/community/templatetags/community_relay.py
_.relay_latest  # template tag, cobioe_cms/community/templatetags/community_relay.py
_.opportunity_text  # template filter, cobioe_cms/community/templatetags/opportunity_board_tags.py
_.opportunity_suggestions  # template tag, cobioe_cms/community/templatetags/suggestion_tags.py
_.register_relay_urls  # Wagtail hook, cobioe_cms/community/wagtail_hooks.py
_.register_relay_reports_menu_item  # Wagtail hook, cobioe_cms/community/wagtail_hooks.py
_.opportunities_for  # template tag, cobioe_cms/community/templatetags/opportunity_board_tags.py
_.only_open_data  # drf-spectacular preprocessing hook (settings), cobioe_cms/core/api.py
_.get_rate  # DRF or Django hook, cobioe_cms/core/api.py
_.get_cache_key  # DRF or Django hook, cobioe_cms/core/api.py
_.http_method_names  # DRF, Django or Wagtail class attribute, cobioe_cms/core/api.py
_.authentication_classes  # DRF, Django or Wagtail class attribute, cobioe_cms/core/api.py
_.parser_classes  # DRF, Django or Wagtail class attribute, cobioe_cms/core/api.py
_.throttle_classes  # DRF, Django or Wagtail class attribute, cobioe_cms/core/api.py
_.pagination_class  # DRF, Django or Wagtail class attribute, cobioe_cms/core/api.py
_.get_exception_handler  # DRF or Django hook, cobioe_cms/core/api.py
_.content_negotiation_class  # DRF class attribute, cobioe_cms/panorama/api/docs.py
_.add_value_enums  # drf-spectacular hook, cobioe_cms/panorama/api/docs.py
_.max_bioreactor_volume_litres  # serializer field, cobioe_cms/panorama/api/serializers.py
_.demo_data  # serializer field, cobioe_cms/panorama/api/serializers.py
_.documentation  # serializer field, cobioe_cms/panorama/api/serializers.py
_.PanoramaConfig  # AppConfig (INSTALLED_APPS), cobioe_cms/panorama/apps.py
_.percent_rounded  # read by templates, cobioe_cms/panorama/coverage.py
_.over  # read by templates, cobioe_cms/panorama/coverage.py
_.add_url  # read by templates, cobioe_cms/panorama/coverage.py
_.admin_url  # read by templates, cobioe_cms/panorama/coverage.py
_.has_estimates  # read by templates, cobioe_cms/panorama/coverage.py
_.total_is_sum  # read by templates, cobioe_cms/panorama/coverage.py
_._urls  # DRF or Django hook, cobioe_cms/panorama/discovery.py
_.protocol  # parameter of Django's Sitemap._urls, overridden, cobioe_cms/panorama/discovery.py
_.latest_lastmod  # DRF, Django or Wagtail class attribute, cobioe_cms/panorama/discovery.py
_.positions  # read by templates, cobioe_cms/panorama/factsheets.py
_.located  # read by templates, cobioe_cms/panorama/factsheets.py
_.overview  # Wagtail route, cobioe_cms/panorama/models.py
_.table_csv  # Wagtail route, cobioe_cms/panorama/models.py
_.factsheet  # Wagtail route, cobioe_cms/panorama/models.py
_.built_at  # snapshot metadata (when it was built), cobioe_cms/panorama/statistics.py
_.organisation_json_ld  # template tag, cobioe_cms/panorama/templatetags/discovery_tags.py
_.news_article_json_ld  # template tag, cobioe_cms/panorama/templatetags/discovery_tags.py
_.add_to_admin_menu  # Wagtail viewset attribute, cobioe_cms/panorama/wagtail_hooks.py
_.list_export  # Wagtail viewset attribute, cobioe_cms/panorama/wagtail_hooks.py
_.search_backend_name  # Wagtail viewset attribute, cobioe_cms/panorama/wagtail_hooks.py
