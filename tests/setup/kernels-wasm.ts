// The `wasm` test project: the engine must run its WebAssembly SIMD kernels here (Node 24 has
// SIMD and relaxed SIMD); failing to load them fails every test instead of falling back silently.
import { kernelBackend, setKernelPreference } from '../../src/engine/backend';

setKernelPreference('wasm');
if (!kernelBackend().startsWith('wasm')) throw new Error('the wasm kernels did not load');
