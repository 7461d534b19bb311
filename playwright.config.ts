import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/browser.mjs';

const executablePath = await findChromium();
if (!executablePath) {
  throw new Error('No Chromium found: run `node scripts/ensure-browser.mjs` (npm test does this).');
}

/** The sub-path the second build is served under; tests/e2e/subpath.spec.ts walks it. */
export const SUB_PATH = '/initbook/sub/';

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4321/',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      command: 'node scripts/serve-static.mjs --dir dist --base / --port 4321',
      url: 'http://127.0.0.1:4321/',
      reuseExistingServer: !process.env['CI'],
    },
    {
      command: `node scripts/serve-static.mjs --dir dist-sub --base ${SUB_PATH} --port 4322`,
      url: `http://127.0.0.1:4322${SUB_PATH}`,
      reuseExistingServer: !process.env['CI'],
    },
  ],
});
