// The `ts-fallback` test project: the engine runs its plain TypeScript kernels, as it does where
// WebAssembly SIMD is missing.
import { kernelBackend, setKernelPreference } from '../../src/engine/backend';

setKernelPreference('ts');
if (kernelBackend() !== 'ts') throw new Error('the TypeScript kernels are not in use');
