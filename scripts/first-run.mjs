// A newcomer's first run, checked: a fresh clone of this checkout's HEAD, then the README's first
// command (`npm install`, then `npm start`) and `npm run build`, each as a newcomer would run it
// (no CI variables, an Astro that has never run on this machine). It fails when any of them prints a
// warning line, when `npm start` prints Astro's telemetry notice, or when the dev server reloads the
// page a reader just opened; and it walks the first chapter in Chromium under `npm start`: the chapter
// shows, and search says how to get a searchable site. It prints how long each step took (times are
// reported, never asserted). Run by `npm test`; on its own: `npm run test:first-run`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './browser.mjs';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env['FIRST_RUN_PORT'] ?? 4390);
const work = mkdtempSync(join(tmpdir(), 'initbook-first-run-'));
const clone = join(work, 'initbook');

/** A newcomer's environment: not CI, and a home where Astro has never asked about telemetry. */
const env = {
  ...process.env,
  HOME: join(work, 'home'),
  XDG_CONFIG_HOME: join(work, 'home', '.config'),
};
for (const name of Object.keys(env)) {
  if (name === 'CI' || name.startsWith('npm_') || name === 'ASTRO_TELEMETRY_DISABLED')
    delete env[name];
}
// The npm cache stays the real one, so the install is as fast as a second install on this machine.
env['npm_config_cache'] =
  spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim() ||
  join(process.env['HOME'] ?? work, '.npm');

/** Lines a newcomer would read as something gone wrong (or, for telemetry, as being tracked). */
const ALARMING = /warn|EBADENGINE|deprecat|vulnerab|telemetry|anonymous usage|reloading|error/i;

const failures = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function check(step, output) {
  const bad = output.split('\n').filter((line) => ALARMING.test(line));
  if (bad.length > 0)
    failures.push(`${step} printed ${bad.length} alarming lines:\n  ${bad.join('\n  ')}`);
  console.log(`${step}: ${bad.length} warning lines`);
}

function run(step, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: clone,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  console.log(`${step}: exit ${result.status} after ${seconds(Date.now() - started)}`);
  if (result.status !== 0) {
    console.error(output);
    throw new Error(`${step} failed`);
  }
  check(step, output);
}

/** Starts `npm start`, walks the first chapter, stops the server; returns what the server printed. */
async function firstVisit() {
  const server = spawn('npm', ['start', '--', '--port', String(port)], {
    cwd: clone,
    env,
    detached: true,
  });
  let output = '';
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: await findChromium(),
    args: CHROMIUM_ARGS,
  });
  try {
    const url = `http://localhost:${port}/`;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      if (
        await fetch(url).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() - started > 120_000)
        throw new Error(`npm start did not serve in 2 min:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`npm start: serving after ${seconds(Date.now() - started)}`);
    const page = await browser.newPage();
    let loads = 0;
    page.on('load', () => loads++);
    const opened = Date.now();
    await page.goto(`${url}chapters/why-scale-matters/`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor({ state: 'visible', timeout: 60_000 });
    console.log(`first chapter: heading visible ${seconds(Date.now() - opened)} after opening it`);
    // A dev server that finds a new dependency late reloads the page under the reader.
    await page.waitForTimeout(3000);
    if (loads !== 1)
      failures.push(`the first chapter loaded ${loads} times under npm start (a reload)`);
    const search = page.getByRole('searchbox', { name: 'Search the course' });
    await search.fill('variance');
    const status = page.getByRole('status');
    try {
      await status.filter({ hasText: 'npm run preview' }).waitFor({ timeout: 30_000 });
    } catch {
      failures.push(
        `search under npm start said "${await status.textContent()}", not how to search`,
      );
    }
  } finally {
    await browser.close();
    process.kill(-server.pid, 'SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  return output;
}

try {
  const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone], {
    encoding: 'utf8',
  });
  if (cloned.status !== 0) {
    // Not a git checkout (an exported tree): copy it without what a build or install adds.
    const skip = /(^|\/)(node_modules|dist|dist-[^/]*|\.astro|test-results)(\/|$)/;
    cpSync(root, clone, { recursive: true, filter: (p) => !skip.test(p.slice(root.length)) });
  }
  run('npm install', 'npm', ['install']);
  check('npm start', await firstVisit());
  run('npm run build', 'npm', ['run', 'build']);
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\nFirst run: ${failures.length} problems\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('First run: quiet install, start and build; the first chapter shows without a reload.');
