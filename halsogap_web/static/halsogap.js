// Hälsogap's only script of its own: the print buttons. Kept in a file, not inline, so that
// the Content-Security-Policy can forbid every inline script.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
