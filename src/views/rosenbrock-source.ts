// Rosenbrock's function over an array, as the gallery shows it and the cost view scales it.
// No imports, so the app shell can take it without pulling in the parser.

export const ROSENBROCK_SOURCE = [
  'function rosenbrock(x) {',
  '  let s = 0;',
  '  for (let i = 0; i < x.length - 1; i++) {',
  '    s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;',
  '  }',
  '  return s;',
  '}',
  '',
].join('\n');
