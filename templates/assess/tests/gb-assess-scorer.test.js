/* Unit tests of gb-assess-scorer.js, run in Chromium by tests/test_assess_browser.py (and in
 * node: `node -e "require('./templates/assess/tests/gb-assess-scorer.test.js').run()"`).
 * Expected values are worked out by hand (or are Python's documented results), never taken
 * from the code under test. run() returns the failures as strings; [] when all pass. */
(function (root) {
  "use strict";
  function run(G) {
    G = G || root.GBScore;
    var failures = [];
    function eq(name, got, want) {
      if (!(got === want || Object.is(got, want))) {
        failures.push(name + ": got " + String(got) + ", want " + String(want));
      }
    }
    function throws(name, f, text) {
      try { f(); failures.push(name + ": did not throw"); }
      catch (e) { if (text && String(e.message).indexOf(text) < 0) failures.push(name + ": threw " + e.message); }
    }
    // math.fsum: correctly rounded sums
    eq("fsum tenths", G.fsum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), 1);
    eq("fsum cancels", G.fsum([1e100, 1, -1e100]), 1);
    eq("fsum 0.1+0.2+0.3", G.fsum([0.1, 0.2, 0.3]), 0.6);       // plain addition gives 0.6000000000000001
    eq("fsum empty", G.fsum([]), 0);
    eq("fsum half-even correction", G.fsum([1, 1e-16, 1e-16]), 1.0000000000000002);
    // format(x, ".12g"): half-even on the exact binary value
    eq("sig12 noise", G.sig12(19.999999999999996), 20);
    eq("sig12 tie to even (down)", G.sig12(123456789012.5), 123456789012);
    eq("sig12 tie to even (up)", G.sig12(123456789013.5), 123456789014);
    eq("sig12 negative tie", G.sig12(-123456789012.5), -123456789012);
    eq("sig12 0.1 stays", G.sig12(0.1), 0.1);
    eq("sig12 third", G.sig12(1 / 3), 0.333333333333);
    eq("sig12 tiny", G.sig12(5e-324), 5e-324);
    eq("sig12 huge", G.sig12(1.7976931348623157e308), 1.79769313486e308);
    // Scorer._round: half-up on the shortest decimal form
    eq("round 84.995", G.roundHalfUp(84.995, 2), 85);
    eq("round 2.675", G.roundHalfUp(2.675, 2), 2.68);      // the binary value is below 2.675; repr is not
    eq("round 1.005", G.roundHalfUp(1.005, 2), 1.01);
    eq("round 68.75", G.roundHalfUp(68.75, 2), 68.75);
    eq("round 0.0049", G.roundHalfUp(0.0049, 2), 0);
    eq("round 0.005", G.roundHalfUp(0.005, 2), 0.01);
    eq("round -0.005", G.roundHalfUp(-0.005, 2), -0.01);
    eq("round 1e-7", G.roundHalfUp(1e-7, 2), 0);
    eq("round 99.99999", G.roundHalfUp(99.99999, 2), 100);
    // expressions
    var values = new Map([["a", 3], ["b", 0], ["L", [1, 2, 3.5]], ["E", []]]);
    eq("expr precedence", G.evaluate(["bin", "-", ["num", 10], ["bin", "*", ["name", "a"], ["num", 2]]], values), 4);
    eq("expr sum over list", G.evaluate(["call", "sum", [["name", "L"], ["num", 1]]], values), 7.5);
    eq("expr min", G.evaluate(["call", "min", [["name", "L"]]], values), 1);
    eq("expr max", G.evaluate(["call", "max", [["name", "a"], ["name", "L"]]], values), 3.5);
    eq("expr negation", G.evaluate(["neg", ["name", "a"]], values), -3);
    throws("expr divide by zero", function () { G.evaluate(["bin", "/", ["name", "a"], ["name", "b"]], values); }, "除数为零");
    throws("expr divide by -0", function () { G.evaluate(["bin", "/", ["num", 1], ["neg", ["num", 0]]], values); }, "除数为零");
    throws("expr missing input", function () { G.evaluate(["name", "zz"], values); }, "缺少输入");
    throws("expr list as a number", function () { G.evaluate(["bin", "+", ["name", "L"], ["num", 1]], values); }, "一组数值");
    throws("expr empty sum", function () { G.evaluate(["call", "sum", [["name", "E"]]], values); }, "没有可计算的数值");
    // units.normalise
    eq("unit kW·h", G.normaliseUnit("kW·h"), G.normaliseUnit("KWH"));
    eq("unit m²", G.normaliseUnit("m²"), "m2");
    eq("unit full-width", G.normaliseUnit("ｔＣＯ２ｅ/万元"), "tco2e/万元");
    eq("unit MW is not mW", G.normaliseUnit("MW") === G.normaliseUnit("mW"), false);
    // validation: the keywords the input schema uses
    var schema = { type: "object", required: ["d"], additionalProperties: false,
      properties: { d: { type: "string", format: "date" }, n: { type: "number" }, s: { enum: ["a", "b"] } } };
    eq("valid date", G.validate(schema, { d: "2024-02-29" }).length, 0);
    eq("not a date", G.validate(schema, { d: "2025-02-29" }).length, 1);
    eq("missing key", G.validate(schema, {})[0].keyword, "required");
    eq("unknown key", G.validate(schema, { d: "2024-01-01", x: 1 })[0].keyword, "additionalProperties");
    eq("enum", G.validate(schema, { d: "2024-01-01", s: "c" })[0].keyword, "enum");
    eq("infinity is no number", G.validate(schema, { d: "2024-01-01", n: Infinity })[0].keyword, "type");
    return failures;
  }
  var api = { run: run };
  root.GBScoreTests = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this);
