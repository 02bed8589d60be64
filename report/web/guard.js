// Runs before any library: collects every error, warning and blocked network attempt, so the
// render status (written by report.js) can show that the page drew cleanly and offline.
(function () {
  'use strict';
  var status = { errors: [], warnings: [], blocked: [], charts: {}, bands: {}, map: null, done: false };
  window.__reportStatus = status;
  window.addEventListener('error', function (e) {
    status.errors.push('error: ' + (e.message || (e.target && e.target.tagName) || 'unknown'));
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    status.errors.push('unhandled rejection: ' + String(e.reason && e.reason.stack || e.reason));
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    status.blocked.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  ['error', 'warn'].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      var text = Array.prototype.map.call(arguments, String).join(' ');
      (level === 'error' ? status.errors : status.warnings).push(text);
      return original.apply(console, arguments);
    };
  });
})();
