// Keep the slider's spoken value (aria-valuetext) equal to the moment shown after each swap.
document.addEventListener("htmx:afterSwap", function (event) {
  var label = document.getElementById("moment-label");
  var slider = document.getElementById("replay-step");
  if (label && slider) slider.setAttribute("aria-valuetext", label.textContent.trim());
});
