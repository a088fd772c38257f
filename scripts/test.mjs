// The one test command: type-check, then every vitest project (unit + browser), then a plain
// "N passed, N failed" line that CI reads. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';

const resultsFile = '.vitest-results.json';
let failedChecks = 0;

// The browser tests drive Debian's Chromium. On a fresh machine (as root) install it first, so
// `npm ci && npm test` works as the README says; .ci/run does the same before calling us.
if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0) {
  console.log('installing chromium for the browser tests (apt-get)...');
  spawnSync('sh', ['-c', 'apt-get update || (sleep 5 && apt-get update); DEBIAN_FRONTEND=noninteractive apt-get install -y chromium'], { stdio: 'inherit' });
}

const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('type-check failed');
  failedChecks += 1;
}

rmSync(resultsFile, { force: true });
const extra = process.argv.slice(2);
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra],
  { stdio: 'inherit' },
);

let passed = 0;
let failed = failedChecks;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  // A suite that failed to load has no tests counted; count it as a failure so it cannot hide.
  failed += results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  if (tsc.status === 0) passed += 1; // the type-check counts as one check
} else {
  failed += 1;
}
if (vitest.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
