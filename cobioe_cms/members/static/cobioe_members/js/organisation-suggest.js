/* While a member types a new organisation's name or website, show the organisations
 * already on the map that look like it, with a link to claim them. */
(function () {
    "use strict";
    var box = document.getElementById("organisation-suggestions");
    var title = document.getElementById("id_title");
    var website = document.getElementById("id_website");
    if (!box || !title) {
        return;
    }
    var timer = null;
    var lastQuery = "";

    function render(matches) {
        box.textContent = "";
        if (!matches.length) {
            return;
        }
        var panel = document.createElement("div");
        panel.className = "notice";
        var heading = document.createElement("p");
        heading.textContent = box.dataset.heading;
        var list = document.createElement("ul");
        matches.forEach(function (match) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = match.url;
            link.textContent = match.title;
            item.appendChild(link);
            item.appendChild(document.createTextNode(" (" + match.city + ", " + match.country + ") — "));
            var claim = document.createElement("a");
            claim.href = match.claim_url;
            claim.textContent = box.dataset.claimLabel;
            item.appendChild(claim);
            list.appendChild(item);
        });
        panel.appendChild(heading);
        panel.appendChild(list);
        box.appendChild(panel);
    }

    function lookUp() {
        var params = new URLSearchParams({
            name: title.value.trim(),
            website: website ? website.value.trim() : ""
        });
        var query = params.toString();
        if (query === lastQuery || (title.value.trim().length < 3 && !params.get("website"))) {
            return;
        }
        lastQuery = query;
        fetch(box.dataset.suggestUrl + "?" + query, {credentials: "same-origin"})
            .then(function (response) { return response.ok ? response.json() : {matches: []}; })
            .then(function (data) { render(data.matches || []); })
            .catch(function () { box.textContent = ""; });
    }

    function schedule() {
        window.clearTimeout(timer);
        timer = window.setTimeout(lookUp, 400);
    }

    title.addEventListener("input", schedule);
    if (website) {
        website.addEventListener("input", schedule);
    }
})();
