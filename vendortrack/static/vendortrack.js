// Ask before a form marked data-confirm is sent (removing a data sharing row, for instance).
// A static file rather than inline script, so that a Content-Security-Policy can forbid inline code.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
