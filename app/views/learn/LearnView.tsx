// The Learn panel: one section per style in plain words for a student (what it does, what it
// costs, where it fails), each with a live example that opens in the playground; the blog's
// examples with what each Python library printed; and what systems take for abs at its kink,
// beside ddx's rule. The facts about the blog and the conventions are data (src/views/lessons.ts),
// checked against ddx's engines by a unit test.

import { EXAMPLES, exampleById, type Example } from '../../examples.ts';
import { loadExample } from '../../persist.ts';
import { store, useStore } from '../../store/index.ts';
import { ABS_CONVENTIONS, ABS_NUMERIC, ABS_SOURCE, BLOG_EXAMPLES, DDX_ABS_RULE, type BlogExample } from '../../../src/views/lessons.ts';
import '../views.css';

interface Lesson {
  id: string;
  title: string;
  does: string;
  costs: string;
  fails: string;
  example: string;
  /** Which picture to open with the example. */
  view: string;
}

const LESSONS: Lesson[] = [
  {
    id: 'manual', title: 'Manual: by hand', example: 'manual-check', view: 'slice',
    does: 'You apply the rules of calculus yourself and write the derivative as code beside f (df_dx). ddx checks it against the exact derivative at your point and at many points around it.',
    costs: 'Your time, once. Then the formula costs what it costs to evaluate, and a person who understands f can often make it cheaper than any machine would.',
    fails: 'People slip: a missing chain-rule factor, a sign. The formula must be redone whenever f changes, and for a long program with loops and branches it is out of reach.',
  },
  {
    id: 'numeric', title: 'Numeric: finite differences', example: 'cancellation', view: 'step-lab',
    does: 'Evaluate f at nearby points and divide the difference by the step: (f(x + h) − f(x − h)) / 2h. It needs nothing but a way to run f.',
    costs: 'One or two more evaluations of f per input: about 2n of them for a gradient of n inputs. Fine for a few inputs, slow for many.',
    fails: 'Too large a step and the Taylor terms it drops (truncation) dominate; too small and rounding in f(x + h) − f(x) does. The best step leaves about half the digits (8 for one-sided, 10 or 11 for central). Near a kink, or where f itself cancels, it can be badly wrong. The complex step subtracts nothing and keeps every digit, but needs f to work on complex numbers.',
  },
  {
    id: 'symbolic', title: 'Symbolic: rules on the expression', example: 'swell', view: 'swell',
    does: 'Apply the sum, product, quotient and chain rules to f\'s expression tree, as sympy or a calculus student does, and get a formula for the derivative.',
    costs: 'Building and simplifying expressions. The product and chain rules copy subexpressions, so the formula can grow much faster than f (expression swell); pulling out common subexpressions wins most of it back.',
    fails: 'A program is not a formula: loops are unrolled and branches decided at the point, so the formula holds only along the path f took there. Swell; and simplifiers do not always find the simplest form.',
  },
  {
    id: 'reverse', title: 'Reverse mode: the tape and the adjoint', example: 'autograd', view: 'tape',
    does: 'Run f once, recording every elementary operation (the tape, as autograd does) or write a gradient function from f\'s code (as tangent does); then sweep backward from the output, multiplying each operation\'s local derivatives into the adjoints by the chain rule.',
    costs: 'The whole gradient for a small multiple of one evaluation of f (two to five times, say), however many inputs there are. The price is memory: the backward sweep needs the values the forward sweep computed.',
    fails: 'Memory grows with the length of the run (long loops). At a kink it must pick a convention (ddx, like autograd, takes abs\'(0) = 0). Otherwise it is exact to rounding.',
  },
  {
    id: 'forward', title: 'Forward mode: dual numbers', example: 'rosenbrock', view: 'cost',
    does: 'Carry a derivative along with every value (a dual number a + bε, with ε² = 0): each operation updates the value and its derivative together, in one sweep along one input direction.',
    costs: 'One sweep, a small multiple of f, per input direction: n sweeps for a gradient of n inputs. Cheap for few inputs (or for many outputs), costly for many inputs.',
    fails: 'Gradients of functions of many inputs, such as a network\'s loss: that is reverse mode\'s job. Kinks take the same conventions.',
  },
];

function open(example: Example, view: string) {
  loadExample(example);
  store.getState().setActiveView(view);
  window.scrollTo({ top: 0, behavior: 'smooth' });
}

function blogExample(b: BlogExample): Example {
  return {
    id: `blog-${b.id}`, title: b.library, lesson: `The blog's ${b.library} example.`,
    source: b.source, point: b.point, wrt: b.wrt, options: {}, views: b.reverseView ? { reverse: b.reverseView } : {},
  };
}

export default function LearnView() {
  const engines = useStore((s) => s.engines) ?? [];
  const title = (id: string) => engines.find((e) => e.id === id)?.title ?? id;
  return (
    <div className="view learn" data-learn>
      <section aria-labelledby="learn-styles">
        <h2 id="learn-styles">Four ways to differentiate (and a fifth)</h2>
        <p className="view-lede">
          A derivative can be worked out by hand (manual), estimated from values of f (numeric), derived as a formula (symbolic), or computed
          exactly alongside f itself (automatic differentiation, in reverse or forward mode). ddx runs them side by side on the same function.
        </p>
        <div className="lesson-grid">
          {LESSONS.map((l) => {
            const example = exampleById(l.example) ?? EXAMPLES[0];
            return (
              <article key={l.id} className="lesson-card" data-lesson={l.id}>
                <h3>{l.title}</h3>
                <dl>
                  <dt>What it does</dt><dd>{l.does}</dd>
                  <dt>What it costs</dt><dd>{l.costs}</dd>
                  <dt>Where it fails</dt><dd>{l.fails}</dd>
                </dl>
                <button type="button" className="button small" onClick={() => open(example, l.view)} data-lesson-open={l.example}>
                  Try it: {example.title} →
                </button>
              </article>
            );
          })}
        </div>
      </section>

      <section aria-labelledby="learn-blog">
        <h2 id="learn-blog">Where ddx started: sympy, autograd and tangent</h2>
        <p className="view-lede">
          A short blog post compared three Python libraries: sympy (symbolic), autograd (reverse mode with a tape, computation on a graph, which is why
          deep-learning frameworks use it) and Google's tangent (source to source: it writes a new function that computes the derivative, readable
          and debuggable; its last release was v0.1.8). Here are its examples, what each library printed, and the same in ddx.
        </p>
        <div className="blog-grid">
          {BLOG_EXAMPLES.map((b) => (
            <article key={b.id} className="blog-card" data-blog={b.id}>
              <h3>{b.library}</h3>
              <span className="label">Python</span>
              <pre>{b.python}</pre>
              <span className="label">printed</span>
              <pre className="printed" data-printed>{b.printed}</pre>
              {b.remark && <p className="muted">{b.remark}</p>}
              <span className="label">in ddx ({Object.entries(b.point).map(([k, v]) => `${k} = ${v}`).join(', ')}; d/d{b.wrt.join(', d/d')})</span>
              <pre>{b.source.trimEnd()}</pre>
              <button type="button" className="button small" onClick={() => open(blogExample(b), b.reverseView ? 'tape' : 'steps')} data-blog-open={b.id}>
                Open in the playground →
              </button>
            </article>
          ))}
        </div>
      </section>

      <section aria-labelledby="learn-kinks">
        <h2 id="learn-kinks">At a kink: what is the derivative of |x| at 0?</h2>
        <p className="view-lede">
          |x| has no derivative at 0: the slope is −1 on the left and 1 on the right. Every system must still return something, and they do not
          agree. ddx's rule is one line of its rules table, used by every engine.
        </p>
        <div className="table-wrap">
          <table className="view-table conventions" data-conventions>
            <thead><tr><th scope="col">system</th><th scope="col">d|x|/dx at 0</th><th scope="col">why</th></tr></thead>
            <tbody>
              {ABS_CONVENTIONS.map((r) => (
                <tr key={r.system} data-convention={r.system}><th scope="row">{r.system}</th><td className="mono">{r.value}</td><td>{r.how}</td></tr>
              ))}
              <tr className="ddx-row" data-convention="ddx">
                <th scope="row">ddx ({['symbolic', 'reverse', 'forward'].map(title).join(', ')})</th>
                <td className="mono">0</td>
                <td>{DDX_ABS_RULE}; each card says so in its notes when the point sits on the kink.</td>
              </tr>
              <tr data-convention="ddx-numeric">
                <th scope="row">ddx, {title('numeric')}</th>
                <td className="mono">{ABS_NUMERIC.map((m) => `${m.value < 0 ? '−' : ''}${Math.abs(m.value)}`).join(' / ')}</td>
                <td>forward, backward and central differences: the one-sided ones land on the sides JAX and TensorFlow.js chose; central averages them.</td>
              </tr>
            </tbody>
          </table>
        </div>
        <button type="button" className="button small" style={{ marginTop: 8 }} data-learn-abs
          onClick={() => open({ id: 'abs-kink', title: 'abs at its kink', lesson: 'abs at 0: every engine says what it took there.', source: ABS_SOURCE, point: { x: 0 }, wrt: null, options: {}, views: {} }, 'slice')}>
          Try |x| at 0 →
        </button>
      </section>
    </div>
  );
}
