// A printed sign-in link carries the token in the URL fragment (never sent to the server, so
// never in a log): put it in the form, wipe it from the address bar and history, and submit.
(function () {
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  var form = document.getElementById("sign-in-form");
  form.elements.token.value = decodeURIComponent(match[1]);
  form.submit();
})();
