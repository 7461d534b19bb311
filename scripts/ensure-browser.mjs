// `pretest`: makes sure a Chromium exists for Playwright, installing Debian's when we can, and
// poppler-utils' pdftoppm, which the print test (tests/e2e/layout.spec.ts) renders PDF pages with.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './browser.mjs';

const found = await findChromium();
const hasPdftoppm = existsSync('/usr/bin/pdftoppm');
if (found && hasPdftoppm) {
  console.log(`Browser tests will use ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const canSudo = (() => {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

if (hasApt && (isRoot || canSudo)) {
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    execFileSync(cmd, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  try {
    run(['apt-get', 'update']);
  } catch (error) {
    if (!found) throw error; // only pdftoppm was missing: go on without it
  }
  if (!found) {
    console.log('No Chromium found: installing Debian’s chromium package with apt-get…');
    run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  }
  if (!hasPdftoppm) {
    console.log('Installing poppler-utils (pdftoppm) for the print test…');
    try {
      run(['apt-get', 'install', '-y', '--no-install-recommends', 'poppler-utils']);
    } catch {
      console.log('Could not install poppler-utils: the print test will be skipped.');
    }
  }
  const installed = await findChromium();
  if (installed) {
    console.log(`Browser tests will use ${installed}`);
    process.exit(0);
  }
} else if (found) {
  // Without pdftoppm the print test says so and skips; everything else runs.
  console.log(`Browser tests will use ${found} (no pdftoppm: the print test will be skipped)`);
  process.exit(0);
}

console.error(
  [
    'The browser tests need Chromium, and none was found or could be installed.',
    'Do one of these, then run npm test again:',
    '  - set CHROMIUM_PATH to a Chromium or Chrome executable;',
    '  - run `npx playwright install chromium` (needs access to Playwright’s downloads);',
    '  - on Debian/Ubuntu: `sudo apt-get install chromium`.',
  ].join('\n'),
);
process.exit(1);
