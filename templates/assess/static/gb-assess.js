/* The self-assessment page: reads the form into an assessment input (the JSON that
 * `gbstd score` reads), scores it with GBScore (gb-assess-scorer.js) on every change, and shows
 * points per item, subtotals, the total, the normalisation, the grade and why.
 * Loads and saves assessment files; whatever the form does not edit (evidence, further
 * applicant fields, unknown keys) is kept as loaded. No framework, no network.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gb-assess-data").textContent);
  var schema = data.schema;
  var scorer = new GBScore.Scorer(data);
  var $ = function (id) { return document.getElementById(id); };
  var has = function (o, k) { return o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k); };
  var STATUS = { scored: "已计分", "not-applicable": "不适用", excluded: "本评价类型不参评", "not-assessed": "未评",
    error: "有误", unscorable: "无法计分" };
  var GATE = { pass: "符合", fail: "不符合（一票否决）", "not-assessed": "未评", error: "有误" };

  var base = {};            // the loaded assessment: keys the form does not edit are kept
  var filled = {};          // id → the form state fill() set, to keep loaded responses as they were
  var last = null;

  function fmt(x) {
    if (x === null || x === undefined) return "—";
    return String(Math.round(x * 100) / 100 === x ? x : GBScore.roundHalfUp(x, 2));
  }

  function items() { return Array.prototype.slice.call(document.querySelectorAll("[data-item]")); }
  function gates() { return Array.prototype.slice.call(document.querySelectorAll("[data-gate]")); }
  function inputs() { return Array.prototype.slice.call(document.querySelectorAll("[data-input]")); }
  function role(box, name) { return box.querySelector('[data-role="' + name + '"]'); }

  function variant() {
    var checked = document.querySelector('input[name="gb-variant"]:checked');
    return checked && checked.value ? checked.value : null;
  }

  function plan() { return scorer.plans.get(variant()) || scorer.plans.get(null); }

  // ---------------------------------------------------------------- numbers as typed

  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  function parseNumber(text) {
    var t = text.normalize("NFKC").trim();
    return NUMBER.test(t) ? Number(t) : null;
  }
  function parseInput(text, isList) {
    var t = text.normalize("NFKC").trim();
    if (isList) {
      var parts = t.split(/[\s,，、;；]+/).filter(Boolean);
      var numbers = parts.map(parseNumber);
      return numbers.every(function (n) { return n !== null; }) ? numbers : t;
    }
    var n = parseNumber(t);
    return n === null ? t : n;       // text stays text: the scorer reports it, as gbstd score does
  }
  function shownValue(value) {
    if (Array.isArray(value)) return value.join(", ");
    if (value === null || value === undefined) return "";
    return String(value);
  }

  // ---------------------------------------------------------------- form → assessment

  function itemState(box) {
    var points = role(box, "points"), reason = role(box, "reason"), note = role(box, "note");
    return JSON.stringify([role(box, "status").value, points ? points.value : "", reason.value, note.value]);
  }
  function gateState(box) {
    var checked = box.querySelector("input[type=radio]:checked");
    return JSON.stringify([checked ? checked.value : "not-assessed", role(box, "note").value]);
  }

  /* The assessment the form holds. forSave: no placeholders; `missing` lists what must be filled. */
  function collect(forSave) {
    var missing = [];
    var a = {};
    Object.keys(base).forEach(function (k) { a[k] = base[k]; });
    a.$schema = data.inputUrl;
    a.schema_version = has(base, "schema_version") ? base.schema_version : data.inputVersion;
    a.scoring_schema = has(base, "scoring_schema") ? base.scoring_schema : { id: schema.id, sha256: data.sha256 };
    var name = $("gb-applicant").value.trim();
    a.applicant = Object.assign({}, base.applicant || {}, { name: name || (forSave ? "" : "（未填写）") });
    if (!name) missing.push({ id: "gb-applicant", message: "请填写申请单位名称" });
    var assessor = $("gb-assessor").value.trim();
    if (assessor) a.assessor = Object.assign({}, base.assessor || {}, { name: assessor }); else delete a.assessor;
    var date = $("gb-date").value;
    if (date) a.date = date; else delete a.date;
    var overview = $("gb-overview").value;
    if (overview.trim()) a.overview = overview; else delete a.overview;
    if (schema.variants.length || has(base, "variant")) a.variant = variant();
    var given = {};
    var baseInputs = base.inputs || {};
    Object.keys(baseInputs).forEach(function (k) { if (!scorer.inputIds.has(k)) given[k] = baseInputs[k]; });
    inputs().forEach(function (field) {
      var id = field.getAttribute("data-input");
      var spec = scorer.inputs.find(function (i) { return i.id === id; });
      var text = field.value;
      if (has(baseInputs, id) && field.getAttribute("data-filled") === text) { given[id] = baseInputs[id]; return; }
      if (!text.trim()) return;
      var value = parseInput(text, spec.isList);
      var old = baseInputs[id];
      given[id] = old !== null && typeof old === "object" && !Array.isArray(old) ? Object.assign({}, old, { value: value }) : value;
    });
    if (Object.keys(given).length || has(base, "inputs")) a.inputs = given;
    var responses = {};
    var baseResponses = base.responses || {};
    Object.keys(baseResponses).forEach(function (k) { if (!scorer.known.has(k)) responses[k] = baseResponses[k]; });
    gates().forEach(function (box) {
      var id = box.getAttribute("data-gate");
      if (filled[id] === gateState(box)) { if (has(baseResponses, id)) responses[id] = baseResponses[id]; return; }
      var status = box.querySelector("input[type=radio]:checked");
      var note = role(box, "note").value.trim();
      var r = withNotes({ status: status ? status.value : "not-assessed" }, note, baseResponses[id]);
      if (r.status !== "not-assessed" || r.note || r.evidence) responses[id] = r;
    });
    items().forEach(function (box) {
      var id = box.getAttribute("data-item");
      if (filled[id] === itemState(box)) { if (has(baseResponses, id)) responses[id] = baseResponses[id]; return; }
      var r = itemResponse(box, forSave, missing);
      if (r) responses[id] = withNotes(r, role(box, "note").value.trim(), baseResponses[id]);
    });
    a.responses = responses;
    return { assessment: a, missing: missing };
  }

  function withNotes(response, note, old) {
    if (note) response.note = note;
    if (old && has(old, "evidence")) response.evidence = old.evidence;
    return response;
  }

  function itemResponse(box, forSave, missing) {
    var id = box.getAttribute("data-item");
    var value = role(box, "status").value;
    if (value === "not-assessed") {
      return role(box, "note").value.trim() ? { status: "not-assessed" } : null;
    }
    if (value.indexOf("level:") === 0) return { status: "level", level: value.slice(6) };
    if (value === "scored") {
      var points = parseNumber(role(box, "points").value);
      if (points === null) { missing.push({ id: "p-" + id, message: "请填写得分" }); return null; }
      return { status: "scored", points: points };
    }
    if (value === "not-applicable") {
      var reason = role(box, "reason").value.trim();
      if (!reason) missing.push({ id: "n-" + id, message: "请说明不适用的理由" });
      return { status: "not-applicable", reason: reason || (forSave ? "" : "（未说明）") };
    }
    return { status: value };
  }

  // ---------------------------------------------------------------- assessment → form

  function fill(assessment) {
    base = JSON.parse(JSON.stringify(assessment));
    filled = {};
    $("gb-applicant").value = (assessment.applicant && typeof assessment.applicant.name === "string") ? assessment.applicant.name : "";
    $("gb-assessor").value = (assessment.assessor && assessment.assessor.name) || "";
    $("gb-date").value = typeof assessment.date === "string" ? assessment.date : "";
    $("gb-overview").value = typeof assessment.overview === "string" ? assessment.overview : "";
    var v = has(assessment, "variant") ? assessment.variant : null;
    Array.prototype.forEach.call(document.querySelectorAll('input[name="gb-variant"]'), function (r) {
      r.checked = r.value === (v || "");
    });
    var given = assessment.inputs || {};
    inputs().forEach(function (field) {
      var id = field.getAttribute("data-input");
      var raw = has(given, id) ? given[id] : undefined;
      if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) raw = raw.value;
      field.value = raw === undefined ? "" : shownValue(raw);
      field.setAttribute("data-filled", field.value);
    });
    var responses = assessment.responses || {};
    gates().forEach(function (box) {
      var id = box.getAttribute("data-gate");
      var r = has(responses, id) ? responses[id] : {};
      var status = ["pass", "fail"].indexOf(r.status) >= 0 ? r.status : "not-assessed";
      box.querySelector('input[value="' + status + '"]').checked = true;
      role(box, "note").value = typeof r.note === "string" ? r.note : "";
      filled[id] = gateState(box);
    });
    items().forEach(function (box) {
      var id = box.getAttribute("data-item");
      var r = has(responses, id) ? responses[id] : null;
      var select = role(box, "status");
      var wanted = r ? (r.status === "level" ? "level:" + r.level : r.status) : (box.getAttribute("data-kind") === "bands" ? "computed" : "not-assessed");
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === wanted; });
      select.value = option ? wanted : "not-assessed";
      var points = role(box, "points");
      if (points) points.value = r && typeof r.points === "number" ? String(r.points) : "";
      role(box, "reason").value = r && typeof r.reason === "string" ? r.reason : "";
      role(box, "note").value = r && typeof r.note === "string" ? r.note : "";
      filled[id] = itemState(box);
    });
    update();
  }

  // ---------------------------------------------------------------- scoring and display

  function update() {
    var p = plan();
    items().forEach(function (box) {
      var select = role(box, "status");
      var naAllowed = p.normalization === "applicable" && box.getAttribute("data-mandatory") !== "true";
      var na = select.querySelector("[data-na]");
      na.hidden = !naAllowed && select.value !== "not-applicable";
      na.disabled = !naAllowed && select.value !== "not-applicable";
      var excluded = p.excluded.has(box.getAttribute("data-item"));
      box.classList.toggle("gb-excluded", excluded);
      Array.prototype.forEach.call(box.querySelectorAll("select, input"), function (c) { c.disabled = excluded; });
      Array.prototype.forEach.call(box.querySelectorAll("[data-when]"), function (el) {
        el.hidden = el.getAttribute("data-when") !== select.value || excluded;
      });
    });
    gates().forEach(function (box) { box.classList.toggle("gb-excluded", p.excluded.has(box.getAttribute("data-gate"))); });
    var collected = collect(false);
    var result = null, problems = [];
    try { result = scorer.score(collected.assessment); }
    catch (exc) { if (exc instanceof GBScore.AssessmentError) problems = exc.problems; else throw exc; }
    last = { assessment: collected.assessment, result: result, problems: problems };
    render(result, problems, collected.missing);
    return last;
  }

  function render(result, problems, missing) {
    document.querySelectorAll(".gb-field-error").forEach(function (e) { e.textContent = ""; });
    missing.forEach(function (m) {
      var field = $(m.id);
      if (m.id === "gb-applicant") $("gb-applicant-err").textContent = m.message;
      else if (field) {
        var out = field.closest("[data-item]");
        if (out) role(out, "out").textContent = m.message;
      }
    });
    if (!result) {
      $("gb-summary").innerHTML = "";
      $("gb-summary").appendChild(el("p", "gb-warn", "评估输入有误，无法计分（SCORE-021）："));
      var list = el("ul");
      problems.forEach(function (p) { list.appendChild(el("li", "", (p.path.join("/") || "顶层") + "：" + p.message)); });
      $("gb-summary").appendChild(list);
      $("gb-why").innerHTML = "";
      $("gb-bar-text").textContent = "评估输入有误";
      return;
    }
    var byId = {};
    result.items.forEach(function (i) { byId[i.id] = i; });
    items().forEach(function (box) {
      var entry = byId[box.getAttribute("data-item")];
      var out = role(box, "out");
      box.classList.toggle("gb-lost", entry.status === "scored" && entry.earned < entry.available);
      box.classList.toggle("gb-bad", entry.status === "error");
      if (missing.some(function (m) { return m.id.slice(2) === entry.id; })) return;
      var text = STATUS[entry.status];
      if (entry.status === "scored") text = "得分 " + fmt(entry.earned) + " / " + fmt(entry.available);
      if (entry.metric) text += "（" + entry.metric.id + " = " + (entry.metric.value === null ? "—" : entry.metric.value) + "）";
      if (entry.message) text += "：" + entry.message;
      out.textContent = text;
    });
    result.gates.forEach(function (g) {
      var out = $("o-" + g.id);
      if (out) out.textContent = GATE[g.status] + (g.message ? "：" + g.message : "");
      var box = $("gate-" + g.id);
      if (box) box.classList.toggle("gb-bad", g.status === "fail" || g.status === "error");
    });
    gates().forEach(function (box) {
      if (!result.gates.some(function (g) { return g.id === box.getAttribute("data-gate"); })) $("o-" + box.getAttribute("data-gate")).textContent = "本评价类型不适用";
    });
    result.metrics.forEach(function (m) {
      var text = m.value === null ? "—" + (m.message.indexOf("缺少输入") === 0 ? "（待填写数据）" : "（" + m.message + "）") : String(m.value) + (m.unit ? " " + m.unit : "");
      var out = $("m-" + m.id);
      if (out) out.textContent = text;
      document.querySelectorAll('[data-metric-for="' + m.id + '"]').forEach(function (o) { o.textContent = m.value === null ? "—" : String(m.value); });
    });
    // input problems are reported through the metrics they feed
    result.metrics.forEach(function (m) {
      if (m.value !== null) return;
      scorer.schema.metrics.find(function (x) { return x.id === m.id; }).depends_on.forEach(function (dep) {
        var err = $("i-" + dep + "-err");
        // an empty field is simply not given yet; wrong values and units are reported
        if (err && m.message && m.message.indexOf("“" + dep + "”") >= 0 && m.message.indexOf("缺少输入") < 0) err.textContent = m.message;
      });
    });
    subtotals(result, byId);
    summary(result);
  }

  function subtotals(result, byId) {
    document.querySelectorAll("[data-subtotal]").forEach(function (out) {
      var group = out.closest("[data-group]");
      var earned = [], available = [], open = 0, excluded = 0, count = 0;
      group.querySelectorAll("[data-item]").forEach(function (box) {
        var e = byId[box.getAttribute("data-item")];
        if (e.earned !== null) earned.push(e.earned);
        if (e.available !== null) available.push(e.available);
        if (e.status === "not-assessed" || e.status === "error" || e.status === "unscorable") open += 1;
        if (e.status === "excluded") excluded += 1;
        count += 1;
      });
      if (count && excluded === count) { out.textContent = "本评价类型不参评"; return; }
      out.textContent = fmt(GBScore.fsum(earned)) + " / " + fmt(GBScore.fsum(available)) + (open ? "（" + open + " 项未完成）" : "");
    });
  }

  var OUTCOME = { graded: "达到等级", "below-grades": "未达到任何等级", scored: "已计分（本表未设等级）",
    disqualified: "一票否决：不予认定", incomplete: "尚未完成，不能得出结论" };

  function summary(result) {
    var p = plan();
    var box = $("gb-summary");
    box.innerHTML = "";
    var dl = el("dl", "gb-figures");
    pair(dl, "得分", fmt(result.raw) + (result.maximum !== null ? " / " + fmt(result.maximum) + (p.normalization === "applicable" ? "（参评项总分）" : "") : ""));
    pair(dl, p.normalization === "applicable" ? "折算得分" : "百分制得分", result.normalized === null ? "—" : fmt(result.normalized));
    pair(dl, "等级", result.grade ? result.grade.label : "—");
    pair(dl, "结论", OUTCOME[result.outcome] + (result.grade ? "：" + result.grade.label : ""));
    box.appendChild(dl);
    $("gb-model").textContent = "计分方法：" + (p.normalization === "applicable"
      ? "按参评项折算：得分 ÷ 参评项总分 × 100（不适用和不参评的指标不计入总分）"
      : "按总分计：得分 × 100 ÷ " + fmt(scorer.total)) + "；保留 2 位小数，四舍五入。" +
      (p.excluded.size ? "本评价类型不参评：" + titles(Array.from(p.excluded)) + "。" : "");
    if (result.normalized !== null && result.maximum) {
      $("gb-model").textContent += "　当前：" + fmt(result.raw) + (p.normalization === "applicable"
        ? " ÷ " + fmt(result.maximum) + " × 100 = " : " × 100 ÷ " + fmt(scorer.total) + " = ") + fmt(result.normalized);
    }
    var why = $("gb-why");
    why.innerHTML = "";
    if (result.gates_failed.length) {
      why.appendChild(el("p", "gb-warn", "否决项不符合：" + titles(result.gates_failed) + "。有一项不符合即不予认定。"));
    }
    var open = result.items.filter(function (i) { return ["not-assessed", "error", "unscorable"].indexOf(i.status) >= 0; });
    var openGates = result.gates.filter(function (g) { return g.status === "not-assessed" || g.status === "error"; });
    if (open.length || openGates.length) {
      why.appendChild(el("p", "", "未完成（" + (open.length + openGates.length) + " 项）：" +
        openGates.concat(open).slice(0, 12).map(function (i) { return i.title + "（" + (STATUS[i.status] || GATE[i.status]) + "）"; }).join("、") +
        (open.length + openGates.length > 12 ? " 等" : "")));
    }
    var lost = result.items.filter(function (i) { return i.status === "scored" && i.earned < i.available; })
      .sort(function (x, y) { return (y.available - y.earned) - (x.available - x.earned); });
    if (lost.length) {
      var list = el("ul", "gb-lost-list");
      lost.forEach(function (i) {
        var li = el("li");
        var a = el("a", "", i.title);
        a.href = "#item-" + i.id;
        li.appendChild(a);
        li.appendChild(document.createTextNode("：得 " + fmt(i.earned) + " / " + fmt(i.available) + " 分，失 " + fmt(i.available - i.earned) + " 分"));
        list.appendChild(li);
      });
      why.appendChild(el("p", "", "失分的指标（按失分多少）："));
      why.appendChild(list);
    }
    var grades = p.grades || [];
    if (result.normalized !== null && grades.length) {
      var next = grades.filter(function (g) { return g.min > result.normalized; }).pop();
      if (next) {
        var gap = next.min - result.normalized;
        var rawGap = gap * (p.normalization === "applicable" ? result.maximum : scorer.total) / 100;
        why.appendChild(el("p", "", "距" + next.label + "（≥ " + fmt(next.min) + "）还差 " + fmt(gap) + " 分" +
          "（约合原始得分 " + fmt(rawGap) + " 分）" + (result.gates_failed.length ? "，但否决项不符合时不予认定" : "") + "。"));
      } else if (result.grade) {
        why.appendChild(el("p", "", "已达到最高等级。"));
      }
    }
    var gl = $("gb-grades");
    gl.innerHTML = "";
    grades.forEach(function (g) {
      gl.appendChild(el("li", result.grade && result.grade.code === g.code ? "gb-current" : "",
        g.label + "：折算得分 ≥ " + fmt(g.min) + (g.note ? "（" + g.note + "）" : "")));
    });
    if (!grades.length) gl.appendChild(el("li", "", "本表未规定等级。"));
    $("gb-bar-text").textContent = "得分 " + fmt(result.raw) + (result.normalized !== null && p.normalization === "applicable" ? " · 折算 " + fmt(result.normalized) : "") +
      " · " + (result.grade ? result.grade.label : OUTCOME[result.outcome]);
  }

  function titles(ids) {
    var names = {};
    scorer.items.forEach(function (i) { names[i.id] = i.title; });
    scorer.gates.forEach(function (g) { names[g.id] = g.title; });
    (function walk(nodes) { nodes.forEach(function (n) { names[n.id] = n.title; walk(n.children || []); }); })(schema.indicators);
    return ids.map(function (id) { return names[id] || id; }).join("、");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pair(dl, term, value) { dl.appendChild(el("dt", "", term)); dl.appendChild(el("dd", "", value)); }

  // ---------------------------------------------------------------- files

  function save() {
    var collected = collect(true);
    if (collected.missing.length) {
      $("gb-file-status").textContent = "未保存：" + collected.missing.map(function (m) { return m.message; }).join("；");
      var first = $(collected.missing[0].id);
      if (first) first.focus();
      return null;
    }
    var text = JSON.stringify(collected.assessment, null, 2) + "\n";
    var blob = new Blob([text], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = schema.id + "-评估输入.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    $("gb-file-status").textContent = "已保存 " + link.download + "：可用 gbstd score 复核。";
    return text;
  }

  function load(text, name) {
    var parsed;
    try { parsed = JSON.parse(text); }
    catch (exc) { $("gb-file-status").textContent = "无法载入 " + name + "：不是有效的 JSON（SCORE-020）：" + exc.message; return false; }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      $("gb-file-status").textContent = "无法载入 " + name + "：评估文件应为一个 JSON 对象";
      return false;
    }
    fill(parsed);
    $("gb-file-status").textContent = "已载入 " + name + (last.result ? "" : "，但评估输入有误，见“评价结果”");
    return true;
  }

  $("gb-load").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { load(String(reader.result), file.name); event.target.value = ""; };
    reader.readAsText(file, "utf-8");
  });
  $("gb-save").addEventListener("click", save);
  $("gb-print").addEventListener("click", function () { window.print(); });
  $("gb-clear").addEventListener("click", function () {
    fill({ variant: data.variant });
    base = {};
    $("gb-file-status").textContent = "已清空";
  });
  $("gb-form").addEventListener("input", update);
  $("gb-form").addEventListener("change", update);
  $("gb-form").addEventListener("submit", function (e) { e.preventDefault(); });

  fill(data.variant ? { variant: data.variant } : {});
  base = {};
  update();
  window.GBAssess = { collect: collect, fill: fill, update: update, load: load, save: save,
    last: function () { return last; }, scorer: scorer, data: data };
})();
