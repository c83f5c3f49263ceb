// The query page: the CodeMirror editor when its files are installed (npm), a plain
// text area otherwise; Ctrl+Enter runs the query; a query too long for a URL is POSTed.
(function () {
  "use strict";
  var LONGEST_URL_QUERY = 3000;
  var form = document.getElementById("query-form");
  var area = document.getElementById("query");
  if (!form || !area) {
    return;
  }
  var editor = null;

  function run() {
    if (editor) {
      editor.save();
    }
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(area, {
      mode: "application/sparql-query",
      lineNumbers: true,
      indentUnit: 2,
      matchBrackets: true,
      viewportMargin: Infinity,
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
      // the editor's own input keeps the name of the field it replaces
      screenReaderLabel: area.labels && area.labels.length ? area.labels[0].textContent : "SPARQL"
    });
    form.classList.add("with-editor");
  } else {
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        run();
      }
    });
  }

  form.addEventListener("submit", function () {
    if (editor) {
      editor.save();
    }
    form.method = encodeURIComponent(area.value).length > LONGEST_URL_QUERY ? "post" : "get";
  });

  var share = document.getElementById("share");
  if (share) {
    share.addEventListener("focus", function () { share.select(); });
  }
})();
