/*
 * COBIOE actor profile map.
 *
 * Draws a small, static map in #actor-map (see
 * templates/cobioe_actors/actor_page.html): the offline GeoJSON basemap in neutral
 * colours and one circle marker at data-lat / data-lng, zoom 4.
 *
 * The element has role="img" and an aria-label, so the map is deliberately
 * not interactive (no focusable controls, no dragging or zooming): assistive
 * technologies get the label, everyone else a picture.
 *
 * Never throws: if anything fails the element is hidden (the address is
 * shown in text next to it).
 */
(function () {
    "use strict";

    var ZOOM = 4;

    function hide(element) {
        element.hidden = true;
        element.classList.add("map--failed");
    }

    function init(element) {
        var lat = parseFloat(element.dataset.lat);
        var lng = parseFloat(element.dataset.lng);
        if (typeof window.L === "undefined" || !isFinite(lat) || !isFinite(lng) ||
                Math.abs(lat) > 90 || Math.abs(lng) > 180) {
            hide(element);
            return;
        }

        var map = L.map(element, {
            preferCanvas: true,
            center: [lat, lng],
            zoom: ZOOM,
            minZoom: ZOOM,
            maxZoom: ZOOM,
            zoomControl: false,
            attributionControl: false,
            dragging: false,
            touchZoom: false,
            scrollWheelZoom: false,
            doubleClickZoom: false,
            boxZoom: false,
            keyboard: false,
            zoomAnimation: false,
            fadeAnimation: false,
            markerZoomAnimation: false
        });

        function addMarker() {
            L.circleMarker([lat, lng], {
                radius: 8,
                color: "#ffffff",
                weight: 2,
                fillColor: "#c2410c",
                fillOpacity: 1,
                interactive: false
            }).addTo(map);
        }

        var url = element.dataset.basemap;
        if (!url || typeof window.fetch !== "function") {
            hide(element);
            return;
        }
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status + " for " + url);
                }
                return response.json();
            })
            .then(function (geojson) {
                L.geoJSON(geojson, {
                    interactive: false,
                    style: {
                        color: "#8c8c8c",
                        weight: 0.8,
                        opacity: 1,
                        fillColor: "#f2f0eb",
                        fillOpacity: 1
                    }
                }).addTo(map);
                addMarker();
            })
            .catch(function (error) {
                if (window.console) { window.console.warn("COBIOE actor map:", error); }
                map.remove();
                hide(element);
            });
    }

    function start() {
        var element = document.getElementById("actor-map");
        if (!element) {
            return;
        }
        try {
            init(element);
        } catch (error) {
            if (window.console) { window.console.warn("COBIOE actor map:", error); }
            hide(element);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
