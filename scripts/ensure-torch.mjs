// `pretest`: installs Debian's python3-torch (PyTorch 1.13, CPU) when it is missing and apt can,
// so that the tests which run the site's "Copy as PyTorch" scripts under real PyTorch run
// (tests/unit/figure-pytorch.test.ts, pytorch-stack-script.test.ts). Without it those tests skip
// and say why; the fixture-based checks run either way.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';
const version = () => {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

let found = version();
if (!found) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canSudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (existsSync('/usr/bin/apt-get') && (isRoot || canSudo)) {
    console.log('Installing Debian’s python3-torch for the PyTorch script tests…');
    const prefix = isRoot ? [] : ['sudo', '-n'];
    const [cmd, ...args] = [
      ...prefix,
      'apt-get',
      'install',
      '-y',
      '--no-install-recommends',
      'python3-torch',
    ];
    const run = (a) =>
      execFileSync(a[0], a.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    try {
      run([cmd, ...args]);
    } catch {
      try {
        // Fresh machines may have no package lists yet.
        run([...prefix, 'apt-get', 'update']);
        run([cmd, ...args]);
      } catch {
        console.log('apt-get could not install python3-torch.');
      }
    }
    found = version();
  }
}
console.log(
  found
    ? `PyTorch script tests will use torch ${found} (${PYTHON})`
    : 'No python3-torch: the tests that run scripts under PyTorch will be skipped (apt-get install python3-torch).',
);
