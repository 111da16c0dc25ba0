/* gbstd scoring in the browser: the reference scorer (gbstd.scoring.scorer) in JavaScript.
 *
 * One semantics: this file interprets the published scoring schema exactly as the
 * Python reference scorer does, and the formulas from the same expression AST the
 * Python scorer compiles (gbstd.expressions, embedded by the page generator as JSON).
 * tests/test_assess_browser.py runs every conformance vector and thousands of random
 * assessments through both and requires identical verdicts, rounding included.
 *
 * Numbers are IEEE doubles throughout, as in the reference scorer:
 *   - formula results are kept to 12 significant digits, rounded half-even on the exact
 *     binary value (Python's format(x, ".12g")), computed here with BigInt;
 *   - sums of points are correctly rounded (Python's math.fsum, ported below);
 *   - scores are rounded half-up on their shortest decimal form (Python's repr + Decimal).
 * No framework, no network, no eval.
 */
(function (root) {
  "use strict";

  var has = function (obj, key) { return obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key); };
  var isNumber = function (v) { return typeof v === "number" && isFinite(v); };
  var codePointCompare = function (a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  };

  // ------------------------------------------------------------------ numbers

  /* math.fsum: Shewchuk's exact partials with CPython's final half-even correction. */
  function fsum(values) {
    var partials = [];
    values.forEach(function (value) {
      var x = value, i = 0;
      for (var j = 0; j < partials.length; j++) {
        var y = partials[j];
        if (Math.abs(x) < Math.abs(y)) { var t = x; x = y; y = t; }
        var hi = x + y, lo = y - (hi - x);
        if (lo !== 0) partials[i++] = lo;
        x = hi;
      }
      partials.length = i;
      partials.push(x);
    });
    var n = partials.length, hi = 0, lo = 0;
    if (n > 0) {
      hi = partials[--n];
      while (n > 0) {
        var x = hi, y = partials[--n];
        hi = x + y;
        var yr = hi - x;
        lo = y - yr;
        if (lo !== 0) break;
      }
      if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
        var y2 = lo * 2, x2 = hi + y2, yr2 = x2 - hi;
        if (y2 === yr2) hi = x2;
      }
    }
    return hi;
  }

  /* The exact decimal value of a finite double: {negative, digits (no leading zeros), scale}
   * where |x| = digits × 10^-scale. */
  function exactDecimal(x) {
    var view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    var high = view.getUint32(0), low = view.getUint32(4);
    var negative = (high >>> 31) === 1;
    var exponent = (high >>> 20) & 0x7ff;
    var mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    if (exponent === 0) exponent = 1; else mantissa |= 1n << 52n;
    var e = exponent - 1075;            // |x| = mantissa × 2^e
    if (e >= 0) return { negative: negative, digits: (mantissa << BigInt(e)).toString(), scale: 0 };
    return { negative: negative, digits: (mantissa * 5n ** BigInt(-e)).toString(), scale: -e };
  }

  /* float(format(x, ".12g")): 12 significant digits, half-even on the exact binary value. */
  function sig12(x) {
    if (x === 0 || !isFinite(x)) return x;
    var d = exactDecimal(x), digits = d.digits.replace(/^0+/, "");
    if (digits.length <= 12) return x;
    var keep = BigInt(digits.slice(0, 12)), rest = digits.slice(12);
    var up;
    if (rest[0] > "5") up = true;
    else if (rest[0] < "5") up = false;
    else if (/[1-9]/.test(rest.slice(1))) up = true;
    else up = keep % 2n === 1n;              // an exact tie: to even
    if (up) keep += 1n;
    var power = digits.length - 12 - d.scale;
    return parseFloat((d.negative ? "-" : "") + keep.toString() + "e" + power);
  }

  /* Scorer._round: half-up on the shortest decimal form (Python's repr) to `places` decimals. */
  function roundHalfUp(x, places) {
    if (Number.isInteger(x)) return x;
    var text = x.toExponential();           // shortest round-trip digits, as repr
    var match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    var negative = match[1] === "-", digits = match[2] + (match[3] || ""), exp = parseInt(match[4], 10);
    // value = 0.digits × 10^(exp + 1); the digits after the point: scale = digits.length - 1 - exp
    var scale = digits.length - 1 - exp;
    if (scale <= places) return x;
    var cut = digits.length - (scale - places);      // digits kept
    var kept = cut > 0 ? BigInt(digits.slice(0, cut)) : 0n;
    var next = cut >= 0 ? digits[cut] : "0";
    if (cut < 0) next = "0";
    if (next >= "5") kept += 1n;
    var value = parseFloat((negative ? "-" : "") + kept.toString() + "e" + (-places));
    return value === 0 ? 0 : value;
  }

  // ------------------------------------------------------------------ expressions

  function EvaluationError(message, name) { this.message = message; this.name_ = name || ""; }

  /* Evaluate an expression AST (gbstd.expressions.to_json): ["num", v] | ["name", id] |
   * ["neg", a] | ["bin", op, a, b] | ["call", fn, [args]]. */
  function evaluate(node, values) {
    switch (node[0]) {
      case "num": return node[1];
      case "name": {
        var value = lookup(values, node[1]);
        if (Array.isArray(value)) throw new EvaluationError("输入 “" + node[1] + "” 是一组数值，只能用在 sum/min/max 中", node[1]);
        return value;
      }
      case "neg": return -evaluate(node[1], values);
      case "bin": {
        var left = evaluate(node[2], values), right = evaluate(node[3], values);
        switch (node[1]) {
          case "+": return left + right;
          case "-": return left - right;
          case "*": return left * right;
          default:
            if (right === 0) throw new EvaluationError("除数为零", "");
            return left / right;
        }
      }
      case "call": {
        var numbers = [];
        node[2].forEach(function (arg) {
          if (arg[0] === "name") {
            var v = lookup(values, arg[1]);
            if (Array.isArray(v)) numbers.push.apply(numbers, v); else numbers.push(v);
          } else numbers.push(evaluate(arg, values));
        });
        if (!numbers.length) throw new EvaluationError(node[1] + "() 没有可计算的数值（所给的列表为空）", "");
        if (node[1] === "sum") return fsum(numbers);
        var best = numbers[0];        // Python's min/max: the first of equals, comparisons as written
        for (var i = 1; i < numbers.length; i++) {
          if (node[1] === "min" ? numbers[i] < best : numbers[i] > best) best = numbers[i];
        }
        return best;
      }
    }
    throw new Error("unknown expression node " + node[0]);
  }

  function lookup(values, name) {
    if (!values.has(name)) throw new EvaluationError("缺少输入 “" + name + "”", name);
    return values.get(name);
  }

  function metricOrder(metrics) {
    var byId = new Map(metrics.map(function (m) { return [m.id, m]; }));
    var ordered = [], placed = new Set();
    function place(id) {
      if (placed.has(id) || !byId.has(id)) return;
      placed.add(id);
      byId.get(id).depends_on.forEach(place);
      ordered.push(byId.get(id));
    }
    Array.from(byId.keys()).sort(codePointCompare).forEach(place);
    return ordered;
  }

  // ------------------------------------------------------------------ validation

  /* A JSON Schema (2020-12) evaluator for the keywords the published assessment-input
   * schema uses; returns a list of {path, keyword}. Non-finite numbers count as null,
   * as they reach the reference validator. */
  function validate(schema, instance, rootSchema, path, out) {
    rootSchema = rootSchema || schema; path = path || []; out = out || [];
    if (schema === true || schema === undefined) return out;
    if (schema === false) { out.push({ path: path, keyword: "false" }); return out; }
    if (schema.$ref) {
      var target = rootSchema;
      schema.$ref.replace(/^#\//, "").split("/").forEach(function (p) { target = target[p]; });
      validate(target, instance, rootSchema, path, out);
    }
    var kind = jsonType(instance);
    if (schema.type) {
      var types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.some(function (t) { return t === kind || (t === "number" && kind === "integer") || (t === "integer" && kind === "integer"); })) {
        out.push({ path: path, keyword: "type" }); return out;
      }
    }
    if (has(schema, "const") && !sameJSON(schema.const, instance)) out.push({ path: path, keyword: "const" });
    if (schema.enum && !schema.enum.some(function (v) { return sameJSON(v, instance); })) out.push({ path: path, keyword: "enum" });
    if (kind === "string") {
      if (schema.minLength !== undefined && Array.from(instance).length < schema.minLength) out.push({ path: path, keyword: "minLength" });
      if (schema.pattern && !new RegExp(schema.pattern, "u").test(instance)) out.push({ path: path, keyword: "pattern" });
      if (schema.format === "date" && !isDate(instance)) out.push({ path: path, keyword: "format" });
    }
    if (kind === "array" && schema.items) {
      instance.forEach(function (v, i) { validate(schema.items, v, rootSchema, path.concat([i]), out); });
    }
    if (kind === "object") {
      (schema.required || []).forEach(function (k) { if (!has(instance, k)) out.push({ path: path, keyword: "required", key: k }); });
      var props = schema.properties || {};
      Object.keys(instance).forEach(function (k) {
        if (schema.propertyNames) {
          var before = out.length;
          validate(schema.propertyNames, k, rootSchema, path.concat([k]), out);
          if (out.length > before) { out.length = before; out.push({ path: path, keyword: "propertyNames", key: k }); }
        }
        if (has(props, k)) validate(props[k], instance[k], rootSchema, path.concat([k]), out);
        else if (schema.additionalProperties === false) out.push({ path: path, keyword: "additionalProperties", key: k });
        else if (schema.additionalProperties) validate(schema.additionalProperties, instance[k], rootSchema, path.concat([k]), out);
      });
    }
    if (schema.oneOf) {
      var passing = schema.oneOf.filter(function (s) { return !validate(s, instance, rootSchema, path, []).length; });
      if (passing.length !== 1) out.push({ path: path, keyword: "oneOf" });
    }
    (schema.allOf || []).forEach(function (s) { validate(s, instance, rootSchema, path, out); });
    if (schema.if !== undefined) {
      var holds = !validate(schema.if, instance, rootSchema, path, []).length;
      if (holds && schema.then) validate(schema.then, instance, rootSchema, path, out);
      if (!holds && schema.else) validate(schema.else, instance, rootSchema, path, out);
    }
    return out;
  }

  function jsonType(v) {
    if (v === null || (typeof v === "number" && !isFinite(v))) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;   // string, boolean, object
  }

  function sameJSON(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function isDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return false;
    var y = +m[1], mo = +m[2], d = +m[3];
    if (mo < 1 || mo > 12 || d < 1) return false;
    var leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  }

  // ------------------------------------------------------------------ the scorer

  var SCORED_RESPONSES = { boolean: ["pass", "fail"], levels: ["level", "fail"],
    manual: ["scored", "pass", "fail"], bands: ["computed"], unscorable: [] };
  var KIND_LABELS = { boolean: "是否", levels: "评分档", manual: "评审打分", bands: "计算量分段" };

  function AssessmentError(problems) {
    this.code = "SCORE-021";
    this.problems = problems;
    this.message = problems.map(function (p) { return (p.path.join("/") || "（顶层）") + ": " + p.message; }).join("\n");
  }

  /* spec: {schema, asts: {metric id: AST}, sha256, inputSchema (the published assessment-input
   * JSON Schema), resultUrl, resultVersion, generator}. */
  function Scorer(spec) {
    var schema = spec.schema, self = this;
    this.spec = spec;
    this.schema = schema;
    this.id = schema.id;
    this.digits = schema.scoring.rounding.digits;
    this.total = schema.scoring.total;
    this.inputs = schema.inputs.map(function (i) {
      return { id: i.id, isList: i.type === "number-list", unit: i.unit,
               spellings: i.unit_aliases && i.unit_aliases.length ? new Set(i.unit_aliases.map(normaliseUnit)) : null };
    });
    this.inputIds = new Set(this.inputs.map(function (i) { return i.id; }));
    this.metrics = metricOrder(schema.metrics).map(function (m) { return { id: m.id, ast: spec.asts[m.id], unit: m.unit }; });
    this.metricIds = schema.metrics.map(function (m) { return m.id; });
    this.items = [];
    schema.indicators.forEach(function (top) { self._collect(top, top.id); });
    this.gates = schema.gates.map(function (g) { return { id: g.id, title: g.title }; });
    this.known = new Set(this.items.map(function (i) { return i.id; }).concat(this.gates.map(function (g) { return g.id; })));
    this.points = fsum(this.items.filter(function (i) { return i.points !== null; }).map(function (i) { return i.points; }));
    this.unknownPoints = this.items.filter(function (i) { return i.points === null; }).length;
    this.plans = new Map([[null, { excluded: new Set(), normalization: schema.scoring.normalization, grades: schema.grades }]]);
    schema.variants.forEach(function (v) {
      self.plans.set(v.id, { excluded: self._expand(v.exclude), normalization: v.normalization || schema.scoring.normalization,
                             grades: v.grades || schema.grades, label: v.label });
    });
  }

  Scorer.prototype._collect = function (node, group) {
    var self = this;
    if (node.children) { node.children.forEach(function (c) { self._collect(c, group); }); return; }
    var method = node.method;
    var levels = new Map((method.levels || []).map(function (l) { return [l.code, l.points]; }));
    this.items.push({ id: node.id, title: node.title, group: group, points: node.points, kind: method.kind,
      mandatory: node.requirement === "mandatory", metric: method.metric || "", levels: levels,
      bands: (method.bands || []).map(function (b) {
        return [has(b, "min") ? b.min : -Infinity, has(b, "max") ? b.max : Infinity, b.points]; }),
      accepts: SCORED_RESPONSES[method.kind], unanswered: method.kind === "bands" ? "computed" : "not-assessed" });
  };

  Scorer.prototype._expand = function (ids) {
    var found = new Set(ids);
    (function walk(nodes, inside) {
      nodes.forEach(function (n) {
        var now = inside || ids.indexOf(n.id) >= 0;
        if (inside) found.add(n.id);
        walk(n.children || [], now);
      });
    })(this.schema.indicators, false);
    return found;
  };

  Scorer.prototype.validate = function (assessment) {
    return validate(this.spec.inputSchema, assessment).map(function (p) {
      return { path: p.path.concat(p.key !== undefined ? [p.key] : []), message: p.keyword, rule: "SCORE-021" };
    });
  };

  Scorer.prototype.score = function (assessment, options) {
    options = options || {};
    if (options.validate !== false) {
      var problems = this.validate(assessment);
      if (problems.length) throw new AssessmentError(problems);
    }
    var plan = this._plan(assessment);
    var messages = [];
    var read = this._readInputs(has(assessment, "inputs") && assessment.inputs ? assessment.inputs : {}, messages);
    var metrics = this._computeMetrics(read.values, read.errors);
    var responses = has(assessment, "responses") && assessment.responses ? assessment.responses : {};
    var self = this;
    var unknown = Object.keys(responses).filter(function (k) { return !self.known.has(k); }).sort(codePointCompare);
    unknown.forEach(function (k) { messages.push("responses 中的 “" + k + "” 不是本评分模式的指标或否决项，已忽略"); });
    var gates = this.gates.filter(function (g) { return !plan.excluded.has(g.id); })
      .map(function (g) { return gate(g, has(responses, g.id) ? responses[g.id] : null); });
    var tally = this._items(responses, plan, read.values, read.errors);
    return this._result(assessment, plan, gates, tally, metrics, messages);
  };

  Scorer.prototype._plan = function (assessment) {
    var pin = has(assessment, "scoring_schema") && assessment.scoring_schema ? assessment.scoring_schema : {};
    var problems = [];
    if (has(pin, "id") && pin.id !== null && pin.id !== this.id) {
      problems.push({ path: ["scoring_schema", "id"], message: "评估输入针对评分模式 “" + pin.id + "”，而所给评分模式是 “" + this.id + "”" });
    }
    if (pin.sha256 && pin.sha256 !== this.spec.sha256) {
      problems.push({ path: ["scoring_schema", "sha256"], message: "评估输入固定的评分模式摘要与所给评分模式不一致：评分模式已更改" });
    }
    var variant = has(assessment, "variant") ? assessment.variant : null;
    if (!this.plans.has(variant)) problems.push({ path: ["variant"], message: "未知的变体 “" + variant + "”" });
    if (problems.length) throw new AssessmentError(problems);
    return this.plans.get(variant);
  };

  Scorer.prototype._readInputs = function (given, messages) {
    var values = new Map(), errors = new Map();
    this.inputs.forEach(function (spec) {
      if (!has(given, spec.id)) return;
      var raw = given[spec.id];
      if (isNumber(raw)) { values.set(spec.id, raw); return; }
      var unit = null;
      if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
        unit = has(raw, "unit") ? raw.unit : null;
        raw = has(raw, "value") ? raw.value : null;
      }
      var problem = typeProblem(spec, raw) || unitProblem(spec, unit);
      if (problem) errors.set(spec.id, problem); else values.set(spec.id, Array.isArray(raw) ? raw.slice() : raw);
    });
    var self = this;
    Object.keys(given).filter(function (k) { return !self.inputIds.has(k); }).sort(codePointCompare).forEach(function (k) {
      messages.push("inputs 中的 “" + k + "” 不是本评分模式的输入量，已忽略");
    });
    return { values: values, errors: errors };
  };

  Scorer.prototype._computeMetrics = function (values, errors) {
    var results = new Map();
    this.metrics.forEach(function (m) {
      try {
        var raw = evaluate(m.ast, values);
        if (!isFinite(raw)) throw new EvaluationError("计算结果不是有限数值（数值溢出）", "");
        var value = sig12(raw);
        values.set(m.id, value);
        results.set(m.id, { id: m.id, value: value, unit: m.unit });
      } catch (exc) {
        if (!(exc instanceof EvaluationError)) throw exc;
        var message = (exc.name_ && errors.get(exc.name_)) || exc.message;
        errors.set(m.id, m.id + "：" + message);
        results.set(m.id, { id: m.id, value: null, unit: m.unit, message: message });
      }
    });
    return this.metricIds.map(function (id) { return results.get(id); });
  };

  function gate(g, response) {
    var entry = { id: g.id, title: g.title };
    var status = response ? response.status : "not-assessed";
    if (status === "pass" || status === "fail" || status === "not-assessed") entry.status = status;
    else { entry.status = "error"; entry.message = "否决项只能答 pass、fail 或 not-assessed，实际为 “" + status + "”"; }
    copyNotes(response, entry);
    return entry;
  }

  Scorer.prototype._items = function (responses, plan, values, errors) {
    var tally = { entries: [], earned: [], removed: 0, unknownRemoved: 0, blocked: false };
    this.items.forEach(function (item) {
      var entry = { id: item.id, title: item.title, group: item.group, status: "scored", earned: null, available: item.points };
      tally.entries.push(entry);
      var response = has(responses, item.id) ? responses[item.id] : null;
      var status;
      if (response === null) status = item.unanswered;
      else { status = response.status; copyNotes(response, entry); }
      if (item.metric) entry.metric = { id: item.metric, value: values.has(item.metric) ? values.get(item.metric) : null };
      if (plan.excluded.has(item.id)) { entry.status = "excluded"; entry.available = 0; }
      else if (item.accepts.indexOf(status) >= 0) {
        var earned = null, problem = "";
        if (status === "pass") earned = item.points;
        else if (status === "fail") earned = 0;
        else if (status === "scored" && 0 <= response.points && response.points <= item.points) earned = response.points;
        else if (status === "level") {
          entry.level = response.level;
          if (item.levels.has(response.level)) earned = item.levels.get(response.level);
          else problem = "没有评分档 “" + response.level + "”；可选：" + Array.from(item.levels.keys()).join("、");
        } else if (status === "scored") {
          problem = "得分 " + response.points + " 超出 0～" + item.points + " 分";
        } else {
          var value = values.has(item.metric) ? values.get(item.metric) : null;
          if (value === null) problem = errors.get(item.metric) || "缺少输入 “" + item.metric + "”";
          else {
            earned = 0;
            for (var i = 0; i < item.bands.length; i++) {
              var b = item.bands[i];
              if (b[0] <= value && value <= b[1]) { earned = b[2]; break; }
            }
          }
        }
        if (problem) { entry.status = "error"; entry.message = problem; tally.blocked = true; }
        else { tally.earned.push(earned); entry.earned = earned; }
        return;
      } else {
        unscored(item, status, response, plan, entry);
        tally.blocked = tally.blocked || ["not-assessed", "error", "unscorable"].indexOf(entry.status) >= 0;
      }
      if (entry.available === 0) {
        if (item.points === null) tally.unknownRemoved += 1; else tally.removed += item.points;
      }
    });
    return tally;
  };

  function unscored(item, status, response, plan, entry) {
    if (status === "not-applicable") {
      if (plan.normalization === "applicable" && !item.mandatory) {
        entry.status = "not-applicable"; entry.available = 0; entry.reason = response.reason; return;
      }
      entry.status = "error";
      entry.message = (item.mandatory ? "必选指标" : "本标准不按参评项折算") + "，不能标为不适用（只有变体可以排除指标）";
    } else if (item.kind === "unscorable") {
      entry.status = "unscorable"; entry.message = "标准未给出该指标的分值";
    } else if (status === "not-assessed") {
      entry.status = "not-assessed";
    } else {
      entry.status = "error";
      entry.message = "按" + KIND_LABELS[item.kind] + "评分的指标只能答 " + item.accepts.join("、") + "，实际为 “" + status + "”";
    }
  }

  Scorer.prototype._result = function (assessment, plan, gates, tally, metrics, messages) {
    var raw = fsum(tally.earned);
    var unknown = this.unknownPoints - tally.unknownRemoved;
    var maximum = unknown ? null : this.points - tally.removed;
    var failed = gates.filter(function (g) { return g.status === "fail"; }).map(function (g) { return g.id; });
    var blocked = tally.blocked || gates.some(function (g) { return g.status === "not-assessed" || g.status === "error"; });
    var normalized = null, digits = this.digits;
    if (plan.normalization === "none") normalized = roundHalfUp(raw * 100 / this.total, digits);
    else if (maximum) normalized = roundHalfUp(raw * 100 / maximum, digits);
    else if (maximum === 0) { messages.push("没有参评项（全部不适用或被排除），无法折算得分"); blocked = true; }
    var grade = null, outcome;
    if (blocked) normalized = null;
    if (failed.length) outcome = "disqualified";
    else if (blocked) outcome = "incomplete";
    else if (!plan.grades.length) outcome = "scored";
    else {
      grade = plan.grades.find(function (g) { return normalized >= g.min; }) || null;
      outcome = grade ? "graded" : "below-grades";
    }
    var spec = this.spec;
    var result = {
      "$schema": spec.resultUrl, schema_version: spec.resultVersion, generator: spec.generator,
      scoring_schema: { id: this.id, designation: this.schema.standard.designation, table: this.schema.table.number, sha256: spec.sha256 },
      applicant: assessment.applicant || { name: "" },
      variant: has(assessment, "variant") ? assessment.variant : null,
      model: plan.normalization, outcome: outcome,
      raw: roundHalfUp(raw, digits), maximum: maximum === null ? null : roundHalfUp(maximum, digits),
      normalized: normalized,
      grade: grade ? { code: grade.code, label: grade.label, min: grade.min } : null,
      gates_failed: failed, gates: gates, items: tally.entries, metrics: metrics, messages: messages
    };
    ["assessor", "date", "overview"].forEach(function (k) { if (has(assessment, k)) result[k] = assessment[k]; });
    return result;
  };

  function copyNotes(response, entry) {
    if (response) ["note", "evidence"].forEach(function (k) { if (has(response, k)) entry[k] = response[k]; });
  }

  function typeProblem(spec, value) {
    if (isNumber(value) || (spec.isList && Array.isArray(value) && value.every(isNumber))) return "";
    return "输入 “" + spec.id + "” 应为" + (spec.isList ? "数值或一组数值" : "数值") + "，实际为 " + JSON.stringify(value);
  }

  function unitProblem(spec, unit) {
    if (unit === null || unit === undefined || spec.spellings === null || spec.spellings.has(normaliseUnit(unit))) return "";
    return "输入 “" + spec.id + "” 的单位应为 " + spec.unit + "，实际为 “" + unit + "”";
  }

  /* gbstd.scoring.units.normalise */
  var CASE_SENSITIVE = "mMpP";
  function normaliseUnit(unit) {
    var text = unit.normalize("NFKC").replace(/[\s·⋅•・‧∙*^]+/gu, "").replace(/−/g, "-");
    return Array.from(text).map(function (c) { return CASE_SENSITIVE.indexOf(c) >= 0 ? c : c.toLowerCase(); }).join("");
  }

  /* The conformance verdict of a result (gbstd.scoring.vectors.verdict): everything a scorer
   * decides, without the messages' wording. */
  function verdict(result) {
    var v = { outcome: result.outcome, raw: result.raw, maximum: result.maximum, normalized: result.normalized,
      grade: result.grade ? result.grade.code : null, gates_failed: result.gates_failed.slice(),
      gates: {}, items: {}, metrics: {}, messages: result.messages.length };
    result.gates.forEach(function (g) { v.gates[g.id] = g.status; });
    result.items.forEach(function (i) {
      var e = { status: i.status, earned: i.earned, available: i.available };
      if (has(i, "level")) e.level = i.level;
      v.items[i.id] = e;
    });
    result.metrics.forEach(function (m) { v.metrics[m.id] = m.value; });
    return v;
  }

  /* The verdict for an assessment, or {error: rule} when it cannot be scored. */
  function run(scorer, assessment) {
    try { return verdict(scorer.score(assessment)); }
    catch (exc) { if (exc instanceof AssessmentError) return { error: exc.code }; throw exc; }
  }

  var api = { Scorer: Scorer, AssessmentError: AssessmentError, EvaluationError: EvaluationError,
    fsum: fsum, sig12: sig12, roundHalfUp: roundHalfUp, evaluate: evaluate, validate: validate,
    normaliseUnit: normaliseUnit, verdict: verdict, run: run, exactDecimal: exactDecimal };
  root.GBScore = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this);
