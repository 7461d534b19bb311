/**
 * `npm run bench`: loads the TypeScript benchmark (scripts/bench/run.ts) through Vite's SSR module
 * loader, so the engine's extensionless TypeScript imports resolve exactly as in the site build,
 * with no separate TS runner. Plain Node 24; prints a table and exits.
 */
import { createServer } from 'vite';

const server = await createServer({
  configFile: false,
  root: process.cwd(),
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
  optimizeDeps: { noDiscovery: true, include: [] },
});
try {
  const { main } = await server.ssrLoadModule('/scripts/bench/run.ts');
  await main(process.argv.slice(2));
} finally {
  await server.close();
}
