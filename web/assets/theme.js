// Applies the theme the user picked (light or dark) before the first paint; without a
// choice the page follows prefers-color-scheme. Only the choice is stored, nothing else.
(function () {
  try {
    var t = window.localStorage.getItem('gatehouse-theme');
    if (t === 'light' || t === 'dark') document.documentElement.setAttribute('data-theme', t);
  } catch (e) {
    /* storage disabled: follow the system */
  }
})();
