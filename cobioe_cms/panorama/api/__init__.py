"""The open-data API's endpoints of the panorama's data (``/api/v1/``): actors,
taxonomies, statistics, coverage and news. Shared machinery (pagination, conditional
answers, rate limits, errors, the registry other apps add endpoints to) is
:mod:`cobioe_cms.core.api`; the routes are ``cobioe_cms.panorama.api_urls``."""
