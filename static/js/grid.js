/* The agreed-score grid: spreadsheet keys, and each cell saved as it is typed.
 *
 * The table #agreed-grid carries data-save-url, data-csrf and data-editable. Each
 * input.grid-input carries data-unit, data-criterion and data-version (the version of
 * the score the page showed, 0 for an empty cell), data-max and data-max-text when the
 * criterion has a maximum, and data-veto on a veto cell. Its messages go to the element
 * "m" + the input's id without its leading "c" (an aria-live region).
 *
 * A save POSTs {criterion, unit, points, version} as JSON; the server answers
 * {ok: true, points, version, totals} or {ok: false, error, code} (400), with
 * current_points and current_version when someone else saved the cell first (409).
 * The checks made here only spare a round trip: the server makes them all again.
 */
(function () {
  "use strict";

  var table = document.getElementById("agreed-grid");
  if (!table) {
    return;
  }
  var text = JSON.parse(document.getElementById("grid-text").textContent);
  var editable = table.dataset.editable === "true";
  var status = document.getElementById("grid-status");
  var DEBOUNCE_MS = 700;
  var pending = 0;

  // The inputs as rows and columns, in the order the table shows them.
  var matrix = [];
  var position = new Map();
  var state = new Map();
  Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
    var inputs = tr.querySelectorAll("input.grid-input");
    if (inputs.length) {
      matrix.push(Array.prototype.slice.call(inputs));
    }
  });
  matrix.forEach(function (row, r) {
    row.forEach(function (input, c) {
      position.set(input, [r, c]);
      state.set(input, { saved: input.value.trim(), timer: null, busy: false, again: false });
    });
  });

  function focusCell(r, c) {
    var input = matrix[r] && matrix[r][c];
    if (!input) {
      return false;
    }
    input.focus();
    input.select();
    return true;
  }

  function next(input, step) {
    // Tab order: along the row, then on to the start (or end) of the next row.
    var p = position.get(input);
    if (focusCell(p[0], p[1] + step)) {
      return true;
    }
    var row = matrix[p[0] + step];
    return row ? focusCell(p[0] + step, step > 0 ? 0 : row.length - 1) : false;
  }

  function onKey(event) {
    var input = event.target;
    if (!position.has(input) || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var p = position.get(input);
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var allSelected = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    var atEnd = input.selectionStart === input.value.length;
    var moved = null;
    switch (event.key) {
      case "Enter":
        moved = focusCell(p[0] + (event.shiftKey ? -1 : 1), p[1]);
        if (!moved) {
          save(input);
        }
        moved = true;
        break;
      case "Tab":
        moved = next(input, event.shiftKey ? -1 : 1);
        break;
      case "ArrowUp":
        moved = focusCell(p[0] - 1, p[1]) || true;
        break;
      case "ArrowDown":
        moved = focusCell(p[0] + 1, p[1]) || true;
        break;
      case "ArrowLeft":
        if (atStart || allSelected) {
          moved = focusCell(p[0], p[1] - 1);
        }
        break;
      case "ArrowRight":
        if (atEnd || allSelected) {
          moved = focusCell(p[0], p[1] + 1);
        }
        break;
      case "Escape":
        if (editable) {
          input.value = state.get(input).saved;
          clearTimeout(state.get(input).timer);
          show(input, "", "");
          input.removeAttribute("aria-invalid");
          input.classList.remove("is-invalid");
          moved = true;
        }
        break;
    }
    if (moved) {
      event.preventDefault();
    }
  }

  function messageBox(input) {
    return document.getElementById("m" + input.id.slice(1));
  }

  function show(input, message, kind) {
    var box = messageBox(input);
    box.textContent = message;
    box.className = "grid-msg" + (kind ? " is-" + kind : "");
  }

  function setStatus(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function invalid(input, message) {
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    input.dataset.state = "invalid";
    show(input, message, "error");
  }

  function rangeMessage(input) {
    return text.range.replace("%(max)s", input.dataset.maxText);
  }

  function localProblem(input, raw) {
    // Only plain numbers are judged here; "1.234,5" and the like are for the server.
    if (raw === "" || input.dataset.veto) {
      return "";
    }
    var compact = raw.replace(/[\s\u00a0]/g, "");
    if (!/^[+-]?\d*(?:[.,]\d+)?$/.test(compact) || !/\d/.test(compact)) {
      return /^[+-]?[\d.,]+$/.test(compact) ? "" : text.number;
    }
    var value = parseFloat(compact.replace(",", "."));
    if (value < 0) {
      return input.dataset.max ? rangeMessage(input) : text.negative;
    }
    if (input.dataset.max && value > parseFloat(input.dataset.max)) {
      return rangeMessage(input);
    }
    return "";
  }

  function updateTotals(unit, totals) {
    if (!totals) {
      return;
    }
    Object.keys(totals).forEach(function (key) {
      var selector = '[data-total-unit="' + unit + '"][data-total="' + key + '"]';
      table.querySelectorAll(selector).forEach(function (cell) {
        cell.textContent = totals[key];
      });
    });
    if (totals.error) {
      table.querySelectorAll('[data-total-unit="' + unit + '"]').forEach(function (cell) {
        cell.textContent = "–";
        cell.title = totals.error;
      });
    }
  }

  function save(input) {
    var st = state.get(input);
    clearTimeout(st.timer);
    var raw = input.value.trim();
    if (raw === st.saved && !st.busy) {
      return;
    }
    var problem = localProblem(input, raw);
    if (problem) {
      invalid(input, problem);
      return;
    }
    if (st.busy) {
      // One request per cell at a time, so that versions follow each other.
      st.again = true;
      return;
    }
    st.busy = true;
    pending += 1;
    input.dataset.state = "saving";
    setStatus(text.saving);
    var body = JSON.stringify({
      criterion: input.dataset.criterion,
      unit: input.dataset.unit,
      points: raw,
      version: Number(input.dataset.version || 0),
    });
    fetch(table.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": table.dataset.csrf,
      },
      body: body,
    })
      .then(function (response) {
        // A 403 or 500 answers with an HTML page, not JSON.
        return response.json().catch(function () {
          return { ok: false, error: text.failed, code: "http_" + response.status };
        });
      })
      .catch(function () {
        return { ok: false, error: text.failed, code: "network" };
      })
      .then(function (answer) {
        done(input, raw, answer);
      });
  }

  function done(input, sent, answer) {
    var st = state.get(input);
    st.busy = false;
    pending -= 1;
    if (answer.ok) {
      input.dataset.version = answer.version;
      st.saved = answer.points;
      if (input.value.trim() === sent) {
        // Show the value as the server reads it: "45.5" comes back as "45,5".
        input.value = answer.points;
      }
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
      input.dataset.state = "saved";
      show(input, text.saved, "ok");
      updateTotals(input.dataset.unit, answer.totals);
    } else if (answer.code === "conflict") {
      input.dataset.version = answer.current_version;
      st.saved = answer.current_points;
      input.value = answer.current_points;
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
      input.dataset.state = "conflict";
      show(input, answer.error, "warning");
      updateTotals(input.dataset.unit, answer.totals);
      st.again = false;
    } else {
      invalid(input, answer.error || text.failed);
    }
    if (st.again) {
      st.again = false;
      save(input);
    }
    if (!pending) {
      setStatus(answer.ok ? text.saved : "");
    }
  }

  table.addEventListener("keydown", onKey);
  matrix.forEach(function (row) {
    row.forEach(function (input) {
      input.addEventListener("focus", function () {
        input.select();
      });
      if (!editable) {
        return;
      }
      input.addEventListener("input", function () {
        var st = state.get(input);
        input.dataset.state = "editing";
        show(input, "", "");
        input.classList.remove("is-invalid");
        input.removeAttribute("aria-invalid");
        clearTimeout(st.timer);
        st.timer = setTimeout(function () {
          save(input);
        }, DEBOUNCE_MS);
      });
      input.addEventListener("change", function () {
        save(input);
      });
      input.addEventListener("blur", function () {
        save(input);
      });
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = pending > 0;
    state.forEach(function (st, input) {
      if (input.value.trim() !== st.saved && input.dataset.state !== "invalid") {
        unsaved = true;
      }
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = text.unsaved;
    }
  });
})();
