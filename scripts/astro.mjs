// Runs Astro's command line with its usage telemetry off: a course site sends no usage data unless
// the person running it chooses to. Every npm script that starts Astro goes through this file
// (`node scripts/astro.mjs dev`, `… build`), so the choice holds on every platform. Whoever wants to
// send Astro's telemetry runs Astro directly (`npx astro dev`).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env['ASTRO_TELEMETRY_DISABLED'] = '1';
const astroRoot = dirname(createRequire(import.meta.url).resolve('astro/package.json'));
// Astro's own entry point reads its arguments from process.argv, which already reads
// `node scripts/astro.mjs <command> …`: the same shape as `astro <command> …`.
await import(pathToFileURL(join(astroRoot, 'bin', 'astro.mjs')).href);
