// The channel tab's configuration page: the chosen page becomes the tab's content URL.
(function () {
  "use strict";
  var form = document.getElementById("tab-config");
  if (!form || typeof microsoftTeams === "undefined") { return; }
  var choice = document.getElementById("page");
  microsoftTeams.app.initialize().then(function () {
    microsoftTeams.pages.config.registerOnSaveHandler(function (saveEvent) {
      var option = choice.options[choice.selectedIndex];
      var base = window.location.origin + "/tab/" + choice.value;
      microsoftTeams.pages.config.setConfig({
        entityId: "raadet-" + choice.value,
        contentUrl: base + "?lang={locale}",
        websiteUrl: base,
        suggestedDisplayName: option.dataset.title
      }).then(function () { saveEvent.notifySuccess(); }, function () { saveEvent.notifyFailure("setConfig"); });
    });
    microsoftTeams.pages.config.setValidityState(true);
  });
}());
