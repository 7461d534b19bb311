import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/browser.mjs';

const executablePath = await findChromium();
if (!executablePath) {
  throw new Error('No Chromium found: run `node scripts/ensure-browser.mjs` (npm test does this).');
}

/** The sub-path the second build is served under; tests/e2e/subpath.spec.ts walks it. */
export const SUB_PATH = '/initbook/sub/';

/** Ports of the two static servers; E2E_PORT moves both (the sub-path build is served one above). */
const PORT = Number(process.env['E2E_PORT'] ?? 4321);
const SUB_PORT = PORT + 1;
process.env['E2E_SUB_ORIGIN'] ??= `http://127.0.0.1:${SUB_PORT}`;

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: [['list']],
  // Screenshot snapshots (tests/e2e/screenshots.spec.ts): one folder, named by test file and image.
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFileName}/{arg}-{platform}{ext}',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  webServer: [
    {
      command: `node scripts/serve-static.mjs --dir dist --base / --port ${PORT}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env['CI'],
    },
    {
      command: `node scripts/serve-static.mjs --dir dist-sub --base ${SUB_PATH} --port ${SUB_PORT}`,
      url: `http://127.0.0.1:${SUB_PORT}${SUB_PATH}`,
      reuseExistingServer: !process.env['CI'],
    },
  ],
});
