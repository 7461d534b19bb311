// `pretest`: makes sure a Chromium exists for Playwright, installing Debian's when we can.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './browser.mjs';

const found = await findChromium();
if (found) {
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
  console.log('No Chromium found: installing Debian’s chromium package with apt-get…');
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  const installed = await findChromium();
  if (installed) {
    console.log(`Installed ${installed}`);
    process.exit(0);
  }
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
