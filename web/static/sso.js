// Teams SSO for the tab: get a token from Teams, let the server check it, then show the page.
(function () {
  "use strict";
  var box = document.getElementById("sso");
  if (!box) { return; }
  function show(id) { document.getElementById(id).hidden = false; }
  if (typeof microsoftTeams === "undefined") { show("sso-outside"); return; }
  microsoftTeams.app.initialize().then(function () {
    return microsoftTeams.authentication.getAuthToken();
  }).then(function (token) {
    return fetch("/tab/sso", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Authorization": "Bearer " + token, "X-CSRF-Token": box.dataset.csrf }
    });
  }).then(function (response) {
    if (!response.ok) { throw new Error("sign-in refused: " + response.status); }
    window.location.replace("/tab/saker");
  }).catch(function (error) {
    var outside = String(error && error.message || error).indexOf("timed out") >= 0;
    show(outside ? "sso-outside" : "sso-failed");
  });
}());
