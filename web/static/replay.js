// Keep the slider's spoken value (aria-valuetext) equal to the moment shown after each swap.
document.addEventListener("htmx:afterSwap", function (event) {
  var label = document.getElementById("moment-label");
  var slider = document.getElementById("replay-step");
  if (label && slider) slider.setAttribute("aria-valuetext", label.textContent.trim());
});

// The compare sliders say which step each holds, in their output and their spoken value.
document.addEventListener("input", function (event) {
  var slider = event.target;
  if (!slider.closest || !slider.closest("form.compare")) return;
  var text = "step " + (Number(slider.value) + 1) + " of " + (Number(slider.max) + 1);
  slider.setAttribute("aria-valuetext", text);
  var output = slider.parentElement.querySelector("output");
  if (output) output.textContent = text;
});
