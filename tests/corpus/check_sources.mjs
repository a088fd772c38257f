// Developer check for tests/corpus/reference.json (not part of the test suite).
//
//   node tests/corpus/check_sources.mjs
//
// For every entry it
//   1. parses the source with acorn and rejects anything outside ddx's JS subset,
//   2. runs the source in node (new Function; these are our own corpus sources)
//      and compares the value with reference.json to 1e-12 relative,
//   3. compares the reference gradient with a 4th-order central finite
//      difference computed in double precision (sanity check of the Python twins),
// and finally prints which constructs / Math functions the corpus covers,
// failing if a required one is missing.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as acorn from "acorn";

const here = dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(join(here, "reference.json"), "utf8"));

const MATH_FUNCS = ("sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp expm1 " +
  "log log1p log2 log10 sqrt cbrt abs pow max min hypot sign floor ceil round trunc").split(" ");
const BINOPS = new Set(["+", "-", "*", "/", "%", "**", "<", "<=", ">", ">=", "===", "!=="]);
const ASSIGNOPS = new Set(["=", "+=", "-=", "*=", "/="]);

let failures = 0;
const fail = (msg) => { failures++; console.log("FAIL " + msg); };

// ---------------------------------------------------------------- subset lint
function lint(name, source) {
  const feats = new Set();
  const mathUsed = new Set();
  let ast;
  try {
    ast = acorn.parse(source, { ecmaVersion: 2022, sourceType: "script" });
  } catch (e) {
    fail(`${name}: parse error ${e.message}`);
    return { feats, mathUsed };
  }
  const topNames = new Set();
  let fSeen = false;
  for (const st of ast.body) {
    if (st.type === "FunctionDeclaration") {
      topNames.add(st.id.name);
      if (st.id.name === "f") { feats.add("function f"); fSeen = true; }
      else feats.add(fSeen ? "helper after f" : "helper before f");
    } else if (st.type === "VariableDeclaration" && st.kind === "const" && st.declarations.length === 1 &&
      st.declarations[0].init && st.declarations[0].init.type === "ArrowFunctionExpression") {
      const n = st.declarations[0].id.name;
      topNames.add(n);
      if (n === "f") { feats.add("arrow f"); fSeen = true; } else feats.add("arrow helper");
    } else {
      fail(`${name}: top level may only declare functions, got ${st.type}`);
    }
  }
  if (!topNames.has("f")) fail(`${name}: no function f`);

  function fnBody(fn, isF) {
    if (fn.async || fn.generator) fail(`${name}: async/generator`);
    for (const p of fn.params) if (p.type !== "Identifier") fail(`${name}: non-identifier param`);
    if (fn.body.type === "BlockStatement") {
      if (isF && fn.type === "ArrowFunctionExpression") feats.add("arrow block body");
      const stmts = fn.body.body;
      stmts.forEach((s, i) => stmt(s, { top: true, last: i === stmts.length - 1, params: fn.params.map((p) => p.name) }));
    } else {
      if (isF) feats.add("arrow expression body");
      expr(fn.body, {});
    }
  }
  function block(s, ctx) {
    if (s.type === "BlockStatement") s.body.forEach((t) => stmt(t, { ...ctx, top: false, last: false }));
    else { feats.add("statement without braces"); stmt(s, { ...ctx, top: false, last: false }); }
  }
  function stmt(s, ctx) {
    switch (s.type) {
      case "VariableDeclaration":
        if (s.kind !== "const" && s.kind !== "let") fail(`${name}: var`);
        feats.add(s.kind);
        for (const d of s.declarations) {
          if (d.id.type !== "Identifier") fail(`${name}: destructuring`);
          if (!d.init) fail(`${name}: declaration without initializer`);
          else expr(d.init, ctx);
        }
        return;
      case "ExpressionStatement": {
        const e = s.expression;
        if (e.type === "AssignmentExpression") {
          if (!ASSIGNOPS.has(e.operator)) fail(`${name}: assignment op ${e.operator}`);
          if (e.left.type === "Identifier") {
            feats.add("assign " + e.operator);
            if (ctx.params && ctx.params.includes(e.left.name)) feats.add("parameter reassignment");
          } else if (e.left.type === "MemberExpression" && e.left.computed) {
            feats.add("element " + e.operator);
            expr(e.left.object, ctx); expr(e.left.property, ctx);
          } else fail(`${name}: bad assignment target`);
          expr(e.right, ctx);
        } else if (e.type === "UpdateExpression") {
          if (e.argument.type !== "Identifier") fail(`${name}: ++/-- on non-identifier`);
          feats.add(e.operator);
        } else fail(`${name}: expression statement ${e.type}`);
        return;
      }
      case "ReturnStatement":
        if (!s.argument) fail(`${name}: bare return`);
        else expr(s.argument, ctx);
        if (!(ctx.top && ctx.last)) feats.add("early return");
        return;
      case "IfStatement":
        feats.add("if");
        expr(s.test, ctx);
        block(s.consequent, ctx);
        if (s.alternate) {
          if (s.alternate.type === "IfStatement") { feats.add("else if"); stmt(s.alternate, { ...ctx, top: false, last: false }); }
          else { feats.add("else"); block(s.alternate, ctx); }
        }
        return;
      case "ForStatement": {
        feats.add("for");
        const okInit = s.init && s.init.type === "VariableDeclaration" && s.init.kind === "let" &&
          s.init.declarations.length === 1;
        const okUpd = s.update && s.update.type === "UpdateExpression" && s.update.argument.type === "Identifier";
        if (!okInit || !okUpd || !s.test) fail(`${name}: non-counting for loop`);
        if (okUpd) feats.add("for " + s.update.operator);
        if (okInit) expr(s.init.declarations[0].init, ctx);
        expr(s.test, ctx);
        if (s.test && s.test.type === "BinaryExpression" && s.test.right.type !== "Literal") feats.add("for computed bound");
        block(s.body, ctx);
        return;
      }
      case "ForOfStatement":
        feats.add("for of");
        if (!(s.left.type === "VariableDeclaration" && s.left.kind === "const")) fail(`${name}: for-of needs const`);
        expr(s.right, ctx);
        block(s.body, ctx);
        return;
      case "WhileStatement":
        feats.add("while");
        expr(s.test, ctx);
        block(s.body, ctx);
        return;
      case "BreakStatement":
        if (s.label) fail(`${name}: labelled break`);
        feats.add("break");
        return;
      case "ContinueStatement":
        if (s.label) fail(`${name}: labelled continue`);
        feats.add("continue");
        return;
      case "BlockStatement":
        s.body.forEach((t) => stmt(t, { ...ctx, top: false, last: false }));
        return;
      default:
        fail(`${name}: statement ${s.type} not in subset`);
    }
  }
  function expr(e, ctx) {
    switch (e.type) {
      case "Literal":
        if (typeof e.value !== "number") fail(`${name}: non-number literal ${e.raw}`);
        return;
      case "Identifier":
        if (e.name === "undefined" || e.name === "NaN" || e.name === "Infinity") fail(`${name}: ${e.name}`);
        return;
      case "BinaryExpression":
        if (!BINOPS.has(e.operator)) fail(`${name}: operator ${e.operator}`);
        feats.add("op " + e.operator);
        expr(e.left, ctx); expr(e.right, ctx);
        return;
      case "LogicalExpression":
        if (e.operator !== "&&" && e.operator !== "||") fail(`${name}: operator ${e.operator}`);
        feats.add("op " + e.operator);
        expr(e.left, ctx); expr(e.right, ctx);
        return;
      case "UnaryExpression":
        if (e.operator !== "-" && e.operator !== "!") fail(`${name}: unary ${e.operator}`);
        feats.add("unary " + e.operator);
        expr(e.argument, ctx);
        return;
      case "ConditionalExpression":
        feats.add("ternary");
        expr(e.test, ctx); expr(e.consequent, ctx); expr(e.alternate, ctx);
        return;
      case "ArrayExpression":
        feats.add("array literal");
        for (const el of e.elements) {
          if (!el || el.type === "SpreadElement") fail(`${name}: hole/spread in array literal`);
          else expr(el, ctx);
        }
        return;
      case "MemberExpression":
        if (e.computed) { feats.add("index read"); expr(e.object, ctx); expr(e.property, ctx); return; }
        if (e.object.type === "Identifier" && e.object.name === "Math") {
          if (e.property.name === "PI" || e.property.name === "E") { feats.add("Math." + e.property.name); return; }
          fail(`${name}: Math.${e.property.name} used as a value`);
          return;
        }
        if (e.property.name === "length") { feats.add(".length"); expr(e.object, ctx); return; }
        fail(`${name}: member .${e.property.name}`);
        return;
      case "CallExpression": {
        const c = e.callee;
        if (c.type === "Identifier") {
          if (!topNames.has(c.name)) fail(`${name}: call to unknown ${c.name}`);
          if (c.name === "f") fail(`${name}: recursion into f`);
          feats.add("helper call");
        } else if (c.type === "MemberExpression" && !c.computed && c.object.type === "Identifier" && c.object.name === "Math") {
          if (!MATH_FUNCS.includes(c.property.name)) fail(`${name}: Math.${c.property.name} not allowed`);
          mathUsed.add(c.property.name);
          if (["max", "min", "hypot"].includes(c.property.name) && e.arguments.length > 2) feats.add(`Math.${c.property.name} 3+ args`);
        } else if (c.type === "MemberExpression" && !c.computed && c.property.name === "fill" &&
          c.object.type === "NewExpression" && c.object.callee.type === "Identifier" && c.object.callee.name === "Array" &&
          c.object.arguments.length === 1 && e.arguments.length === 1 && e.arguments[0].type === "Literal" && e.arguments[0].value === 0) {
          feats.add("new Array(n).fill(0)");
          expr(c.object.arguments[0], ctx);
          return;
        } else fail(`${name}: call form not in subset`);
        e.arguments.forEach((a) => expr(a, ctx));
        return;
      }
      default:
        fail(`${name}: expression ${e.type} not in subset`);
    }
  }
  for (const st of ast.body) {
    if (st.type === "FunctionDeclaration") fnBody(st, st.id.name === "f");
    else if (st.type === "VariableDeclaration") fnBody(st.declarations[0].init, st.declarations[0].id.name === "f");
  }
  if (/\/\/|\/\*/.test(source)) feats.add("comments");
  return { feats, mathUsed };
}

// ------------------------------------------------------------------ running
const copyArgs = (params, at) => params.map((p) => (Array.isArray(at[p]) ? at[p].slice() : at[p]));
const relErr = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const allFeats = new Map();
const standaloneMath = new Set();
const mathCount = new Map();
let nPoints = 0;
let worstValue = 0;
let worstGrad = 0;

for (const e of ref.entries) {
  const { feats, mathUsed } = lint(e.name, e.source);
  for (const ft of feats) allFeats.set(ft, (allFeats.get(ft) || 0) + 1);
  for (const m of mathUsed) mathCount.set(m, (mathCount.get(m) || 0) + 1);
  if (mathUsed.size === 1 && /^function f\([^)]*\) \{\n  return Math\.\w+\([^)]*\);\n\}$/.test(e.source)) {
    standaloneMath.add([...mathUsed][0]);
  }
  let f;
  try {
    f = new Function(e.source + "\nreturn f;")();
  } catch (err) {
    fail(`${e.name}: does not run: ${err.message}`);
    continue;
  }
  if (f.length !== e.params.length) fail(`${e.name}: f has ${f.length} params, reference says ${e.params.length}`);
  for (const pt of e.points) {
    nPoints++;
    const call = (at) => f(...copyArgs(e.params, at));
    const v = call(pt.at);
    if (typeof v !== "number" || !Number.isFinite(v)) { fail(`${e.name} ${JSON.stringify(pt.at)}: JS value ${v}`); continue; }
    if (!Number.isFinite(pt.value)) fail(`${e.name}: non-finite reference value`);
    const ev = relErr(v, pt.value);
    worstValue = Math.max(worstValue, ev);
    if (ev > 1e-12) fail(`${e.name} ${JSON.stringify(pt.at)}: JS value ${v} vs reference ${pt.value} (rel ${ev.toExponential(2)})`);

    // gradient vs 4th-order central difference in doubles
    const gscale = Math.max(1e-3, ...Object.values(pt.gradient).flat().map(Math.abs));
    const checkComponent = (label, g, evalAt, t) => {
      if (!Number.isFinite(g)) { fail(`${e.name}: non-finite gradient ${label}`); return; }
      // two step sizes; the better one counts (large h: roundoff, small h: truncation)
      let fd = NaN;
      let err = Infinity;
      for (const rh of [1e-3, 1e-4]) {
        const h = rh * Math.max(1, Math.abs(t));
        const d = (-evalAt(t + 2 * h) + 8 * evalAt(t + h) - 8 * evalAt(t - h) + evalAt(t - 2 * h)) / (12 * h);
        const r = Math.abs(d - g) / Math.max(Math.abs(g), 1e-2 * gscale, 1e-8 * Math.abs(v));
        if (r < err || Number.isNaN(fd)) { err = r; fd = d; }
      }
      worstGrad = Math.max(worstGrad, err);
      if (!(err < 1e-6)) fail(`${e.name} ${JSON.stringify(pt.at)}: d/d${label} reference ${g} vs finite difference ${fd} (rel ${err.toExponential(2)})`);
    };
    for (const p of e.params) {
      const x0 = pt.at[p];
      if (Array.isArray(x0)) {
        if (!Array.isArray(pt.gradient[p]) || pt.gradient[p].length !== x0.length) { fail(`${e.name}: gradient shape for ${p}`); continue; }
        x0.forEach((t, k) => {
          checkComponent(`${p}[${k}]`, pt.gradient[p][k], (s) => {
            const arr = x0.slice(); arr[k] = s;
            return call({ ...pt.at, [p]: arr });
          }, t);
        });
      } else {
        checkComponent(p, pt.gradient[p], (s) => call({ ...pt.at, [p]: s }), x0);
      }
    }
  }
}

// ----------------------------------------------------------------- coverage
const REQUIRED = ["function f", "arrow f", "arrow expression body", "arrow block body", "helper before f", "helper after f",
  "helper call", "const", "let", "assign =", "assign +=", "assign -=", "assign *=", "assign /=", "parameter reassignment",
  "++", "--", "if", "else", "else if", "for", "for ++", "for computed bound", "for of", "while", "break", "continue",
  "early return", "op +", "op -", "op *", "op /", "op %", "op **", "op <", "op <=", "op >", "op >=", "op ===", "op !==",
  "op &&", "op ||", "unary -", "unary !", "ternary", "Math.PI", "Math.E", "array literal", "new Array(n).fill(0)",
  "index read", ".length", "element =", "element +=", "Math.max 3+ args", "Math.min 3+ args", "Math.hypot 3+ args"];
for (const r of REQUIRED) if (!allFeats.has(r)) fail(`coverage: no entry uses ${r}`);
for (const m of MATH_FUNCS) {
  if (!standaloneMath.has(m)) fail(`coverage: Math.${m} has no standalone entry`);
}

console.log(`${ref.entries.length} entries, ${nPoints} points`);
console.log(`worst value rel error ${worstValue.toExponential(2)}, worst gradient-vs-FD rel error ${worstGrad.toExponential(2)}`);
console.log("constructs (entries using each):");
console.log("  " + [...allFeats.entries()].sort().map(([k, n]) => `${k}:${n}`).join(", "));
console.log("Math functions (entries using each):");
console.log("  " + MATH_FUNCS.map((m) => `${m}:${mathCount.get(m) || 0}`).join(", "));
if (failures) {
  console.log(`${failures} failure(s)`);
  process.exit(1);
}
console.log("OK");
