/*
 * COBIOE cartography map.
 *
 * Progressive enhancement of #cartography-map (see
 * templates/cobioe_actors/cartography_page.html). Works offline: the basemap is a
 * local GeoJSON file drawn as a choropleth (actors per country); a tile layer
 * is only added when data-tile-url is set. Actors are circle markers drawn on
 * a canvas and clustered with Leaflet.markercluster, which keeps 10,000+
 * points smooth.
 *
 * Data attributes read on the map element:
 *   data-basemap            URL of the GeoJSON basemap ({iso, name} properties)
 *   data-map-data           URL of the map data JSON (see CartographyPage.map_data)
 *   data-tile-url           optional tile URL template
 *   data-tile-attribution   attribution (HTML) of the tile layer
 *   data-label-actors       translated word "actors" (tooltips, legend)
 *   data-label-actor        optional singular "actor" (defaults to the plural)
 *   data-label-profile      translated "View profile" (popups)
 * Optional translated strings (English defaults in TEXT below):
 *   data-label-loading, data-label-error, data-label-legend,
 *   data-label-no-actors, data-label-status-one, data-label-status-many,
 *   data-label-status-unlocated-one, data-label-status-unlocated-many
 *
 * Never throws: any failure ends with a message in #map-status.
 */
(function () {
    "use strict";

    var EUROPE_BOUNDS = [[34, -25], [72, 45]];

    /* Sequential palette (ColorBrewer YlGnBu, 5 classes, lightest dropped so
     * the first class stands apart from the grey of countries with none). */
    var PALETTE = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"];
    var NO_ACTORS_FILL = "#e4e4e4";
    var BORDER_COLOUR = "#7a7a7a";
    var MARKER_STYLE = {
        radius: 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: "#c2410c",
        fillOpacity: 0.95
    };

    /* English defaults of every sentence this script writes. Each can be
     * overridden by a data-label-* attribute on the map element, so the
     * template can pass translated strings. {n} and {k} are placeholders. */
    var TEXT = {
        loading: "Loading the map…",
        error: "The map could not be loaded; the list below shows the same actors.",
        legend: "Actors per country",
        noActors: "No actor to show on the map.",
        statusOne: "{n} actor on the map.",
        statusMany: "{n} actors on the map.",
        unlocatedOne: "{k} without a known location is only in the list.",
        unlocatedMany: "{k} without a known location are only in the list.",
        actors: "actors",
        actor: "",  /* singular; falls back to the (translated) plural */
        profile: "View profile"
    };

    var LABEL_ATTRIBUTES = {
        loading: "labelLoading",
        error: "labelError",
        legend: "labelLegend",
        noActors: "labelNoActors",
        statusOne: "labelStatusOne",
        statusMany: "labelStatusMany",
        unlocatedOne: "labelStatusUnlocatedOne",
        unlocatedMany: "labelStatusUnlocatedMany",
        actors: "labelActors",
        actor: "labelActor",
        profile: "labelProfile"
    };

    function readLabels(element) {
        var labels = {};
        Object.keys(TEXT).forEach(function (key) {
            var value = element.dataset[LABEL_ATTRIBUTES[key]];
            labels[key] = value ? value : TEXT[key];
        });
        if (!labels.actor) {
            labels.actor = labels.actors;
        }
        return labels;
    }

    function formatNumber(n) {
        try {
            return Number(n).toLocaleString(document.documentElement.lang || undefined);
        } catch (e) {
            return String(n);
        }
    }

    /* Whether a count takes the singular: French uses it for 0 and 1. */
    function isSingular(n) {
        var lang = (document.documentElement.lang || "en").toLowerCase();
        return lang.indexOf("fr") === 0 ? n <= 1 : n === 1;
    }

    /* The one place that words the status sentence (for translation). */
    function statusMessage(labels, located, unlocated) {
        if (located <= 0 && unlocated <= 0) {
            return labels.noActors;
        }
        var text = (isSingular(located) ? labels.statusOne : labels.statusMany)
            .replace("{n}", formatNumber(located));
        if (unlocated > 0) {
            text += " " + (isSingular(unlocated) ? labels.unlocatedOne : labels.unlocatedMany)
                .replace("{k}", formatNumber(unlocated));
        }
        return text;
    }

    function setStatus(text) {
        var status = document.getElementById("map-status");
        if (status) {
            status.textContent = text;
        }
    }

    function escapeHtml(value) {
        return String(value)
            .replace(/&/g, "&amp;")
            .replace(/</g, "&lt;")
            .replace(/>/g, "&gt;")
            .replace(/"/g, "&quot;")
            .replace(/'/g, "&#39;");
    }

    function fetchJson(url) {
        return fetch(url, {
            credentials: "same-origin",
            headers: {"Accept": "application/json"}
        }).then(function (response) {
            if (!response.ok) {
                throw new Error("HTTP " + response.status + " for " + url);
            }
            return response.json();
        });
    }

    function settle(promise) {
        return promise.then(
            function (value) { return {ok: true, value: value}; },
            function (error) { return {ok: false, error: error}; }
        );
    }

    /* Class breaks: up to 5 quantile classes of the non-zero counts, as
     * integer ranges [{min, max, colour}]. */
    function buildClasses(counts) {
        var values = Object.keys(counts)
            .map(function (key) { return Number(counts[key]) || 0; })
            .filter(function (value) { return value > 0; })
            .sort(function (a, b) { return a - b; });
        if (!values.length) {
            return [];
        }
        var uppers = [];
        for (var i = 1; i <= PALETTE.length; i++) {
            var upper = values[Math.ceil(i * values.length / PALETTE.length) - 1];
            if (uppers.indexOf(upper) === -1) {
                uppers.push(upper);
            }
        }
        var classes = [];
        var lower = 1;
        uppers.forEach(function (upper, index) {
            var colourIndex = uppers.length === 1
                ? PALETTE.length - 1
                : Math.round(index * (PALETTE.length - 1) / (uppers.length - 1));
            classes.push({min: lower, max: upper, colour: PALETTE[colourIndex]});
            lower = upper + 1;
        });
        return classes;
    }

    function colourFor(count, classes) {
        if (!count) {
            return NO_ACTORS_FILL;
        }
        for (var i = 0; i < classes.length; i++) {
            if (count <= classes[i].max) {
                return classes[i].colour;
            }
        }
        return classes.length ? classes[classes.length - 1].colour : NO_ACTORS_FILL;
    }

    function addLegend(map, classes, labels) {
        var legend = L.control({position: "bottomright"});
        legend.onAdd = function () {
            /* A <details> so that the legend can be folded away on small
             * maps, where it would hide much of Europe. */
            var container = L.DomUtil.create("details", "map-legend leaflet-bar");
            if (map.getSize().x >= 560) {
                container.open = true;
            }
            var title = L.DomUtil.create("summary", "map-legend__title", container);
            title.textContent = labels.legend;
            var list = L.DomUtil.create("ul", "map-legend__list", container);
            var rows = [{label: "0", colour: NO_ACTORS_FILL}].concat(classes.map(function (cls) {
                return {
                    label: cls.min === cls.max
                        ? formatNumber(cls.min)
                        : formatNumber(cls.min) + "–" + formatNumber(cls.max),
                    colour: cls.colour
                };
            }));
            rows.forEach(function (row) {
                var item = L.DomUtil.create("li", "map-legend__item", list);
                var swatch = L.DomUtil.create("span", "map-legend__swatch", item);
                swatch.style.backgroundColor = row.colour;
                swatch.setAttribute("aria-hidden", "true");
                var text = L.DomUtil.create("span", "map-legend__label", item);
                text.textContent = row.label + " " +
                    (row.label === "1" || (row.label === "0" && isSingular(0)) ? labels.actor : labels.actors);
            });
            L.DomEvent.disableClickPropagation(container);
            L.DomEvent.disableScrollPropagation(container);
            return container;
        };
        legend.addTo(map);
        return legend;
    }

    function addBasemap(map, geojson, counts, classes, labels, hasTiles) {
        return L.geoJSON(geojson, {
            attribution: "Natural Earth",
            style: function (feature) {
                var iso = feature.properties && feature.properties.iso;
                return {
                    color: BORDER_COLOUR,
                    weight: 0.6,
                    opacity: 1,
                    fillColor: colourFor(counts[iso] || 0, classes),
                    fillOpacity: hasTiles ? 0.6 : 1
                };
            },
            onEachFeature: function (feature, layer) {
                var props = feature.properties || {};
                var count = counts[props.iso] || 0;
                layer.bindTooltip(
                    escapeHtml(props.name || props.iso || "") + ": " +
                        escapeHtml(formatNumber(count)) + " " +
                        escapeHtml(isSingular(count) ? labels.actor : labels.actors),
                    {sticky: true, direction: "top", className: "map-tooltip"}
                );
            }
        }).addTo(map);
    }

    function popupContent(name, url, labels) {
        var wrapper = document.createElement("div");
        wrapper.className = "map-popup";
        var link = document.createElement("a");
        link.className = "map-popup__link";
        link.href = url;
        var title = document.createElement("span");
        title.className = "map-popup__name";
        title.textContent = name;
        var action = document.createElement("span");
        action.className = "map-popup__action";
        action.textContent = labels.profile;
        link.appendChild(title);
        link.appendChild(action);
        wrapper.appendChild(link);
        return wrapper;
    }

    /* Same look as markercluster's default icon, plus a visually hidden
     * word so that screen readers announce "19 actors", not just "19". */
    function clusterIcon(cluster, labels) {
        var count = cluster.getChildCount();
        var size = count < 10 ? "small" : (count < 100 ? "medium" : "large");
        return L.divIcon({
            html: "<div><span>" + count + "<span class=\"visually-hidden\"> " +
                escapeHtml(labels.actors) + "</span></span></div>",
            className: "marker-cluster marker-cluster-" + size,
            iconSize: L.point(40, 40)
        });
    }

    function addMarkers(map, data, labels, reduceMotion) {
        var baseUrl = typeof data.base_url === "string" ? data.base_url : "";
        if (baseUrl && baseUrl.charAt(baseUrl.length - 1) !== "/") {
            baseUrl += "/";
        }
        var useClusters = typeof L.markerClusterGroup === "function";
        var group = useClusters
            ? L.markerClusterGroup({
                chunkedLoading: true,
                chunkInterval: 100,
                showCoverageOnHover: false,
                maxClusterRadius: 50,
                animate: !reduceMotion,
                iconCreateFunction: function (cluster) {
                    return clusterIcon(cluster, labels);
                }
            })
            : L.featureGroup();

        var markers = [];
        var rows = Array.isArray(data.markers) ? data.markers : [];
        for (var i = 0; i < rows.length; i++) {
            var row = rows[i];
            if (!Array.isArray(row)) {
                continue;
            }
            var lat = Number(row[0]);
            var lng = Number(row[1]);
            if (!isFinite(lat) || !isFinite(lng)) {
                continue;
            }
            var marker = L.circleMarker([lat, lng], MARKER_STYLE);
            marker.cobioe = {
                slug: String(row[2] || ""),
                name: String(row[3] || row[2] || ""),
                kind: String(row[4] || "")
            };
            markers.push(marker);
        }

        /* One popup handler for the whole group instead of one per marker. */
        group.on("click", function (event) {
            var layer = event.layer || event.propagatedFrom;
            if (!layer || !layer.cobioe) {
                return;
            }
            var info = layer.cobioe;
            L.popup({className: "map-popup-wrapper"})
                .setLatLng(layer.getLatLng())
                .setContent(popupContent(info.name, baseUrl + encodeURIComponent(info.slug) + "/", labels))
                .openOn(map);
        });

        if (useClusters) {
            group.addLayers(markers);
        } else {
            markers.forEach(function (marker) { group.addLayer(marker); });
        }
        group.addTo(map);
        return markers;
    }

    /* Zoom on the results when they all lie in Europe (e.g. filtered to one
     * country); otherwise keep the Europe view (overseas territories). */
    function fitToMarkers(map, markers) {
        if (!markers.length) {
            return;
        }
        var europe = L.latLngBounds(EUROPE_BOUNDS);
        var bounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
        if (bounds.isValid() && europe.contains(bounds)) {
            map.fitBounds(bounds, {padding: [30, 30], maxZoom: 6, animate: false});
        }
    }

    function init(element) {
        var labels = readLabels(element);
        if (typeof window.L === "undefined" || typeof window.fetch !== "function") {
            setStatus(labels.error);
            return;
        }
        if (!element.hasAttribute("tabindex")) {
            element.setAttribute("tabindex", "0");
        }
        /* Leaflet focuses the map on every mouse press; only keyboard users
         * need the strong focus ring, so it is dimmed after pointer use (see
         * .map--pointer in cobioe.css) until a key is pressed or focus
         * leaves the map. */
        element.addEventListener("pointerdown", function () {
            element.classList.add("map--pointer");
        });
        element.addEventListener("keydown", function () {
            element.classList.remove("map--pointer");
        });
        element.addEventListener("focusout", function (event) {
            if (!event.relatedTarget || !element.contains(event.relatedTarget)) {
                element.classList.remove("map--pointer");
            }
        });
        setStatus(labels.loading);

        var reduceMotion = !!(window.matchMedia &&
            window.matchMedia("(prefers-reduced-motion: reduce)").matches);
        var tileUrl = (element.dataset.tileUrl || "").trim();
        var hasTiles = tileUrl !== "";

        var map = L.map(element, {
            preferCanvas: true,
            minZoom: 2,
            maxZoom: hasTiles ? 18 : 12,
            worldCopyJump: false,
            zoomAnimation: !reduceMotion,
            fadeAnimation: !reduceMotion,
            markerZoomAnimation: !reduceMotion
        });
        map.fitBounds(EUROPE_BOUNDS, {animate: false});

        if (hasTiles) {
            L.tileLayer(tileUrl, {
                attribution: element.dataset.tileAttribution || "",
                maxZoom: 18
            }).addTo(map);
        }

        var basemapUrl = element.dataset.basemap;
        var dataUrl = element.dataset.mapData;
        var basemapRequest = basemapUrl
            ? settle(fetchJson(basemapUrl))
            : Promise.resolve({ok: false, error: new Error("No basemap URL")});
        var dataRequest = dataUrl
            ? settle(fetchJson(dataUrl))
            : Promise.resolve({ok: false, error: new Error("No map data URL")});

        Promise.all([basemapRequest, dataRequest]).then(function (results) {
            var basemap = results[0];
            var data = results[1];
            if (!data.ok || !data.value || typeof data.value !== "object") {
                throw data.error || new Error("Invalid map data");
            }
            var payload = data.value;
            var counts = payload.countries && typeof payload.countries === "object"
                ? payload.countries : {};
            var classes = buildClasses(counts);

            if (basemap.ok && basemap.value) {
                try {
                    addBasemap(map, basemap.value, counts, classes, labels, hasTiles);
                    addLegend(map, classes, labels);
                } catch (error) {
                    if (window.console) { window.console.warn("COBIOE basemap:", error); }
                }
            } else if (window.console) {
                window.console.warn("COBIOE basemap could not be loaded:", basemap.error);
            }

            var markers = addMarkers(map, payload, labels, reduceMotion);
            fitToMarkers(map, markers);

            var located = markers.length;
            var total = Number(payload.total);
            if (!isFinite(total) || total < located) {
                total = located;
            }
            setStatus(statusMessage(labels, located, total - located));
        }).catch(function (error) {
            if (window.console) { window.console.warn("COBIOE map:", error); }
            setStatus(labels.error);
            element.classList.add("map--failed");
        });
    }

    function start() {
        var element = document.getElementById("cartography-map");
        if (!element) {
            return;
        }
        try {
            init(element);
        } catch (error) {
            if (window.console) { window.console.warn("COBIOE map:", error); }
            setStatus(readLabels(element).error);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
