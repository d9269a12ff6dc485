/**
 * Runs the hostile registry (hostile-registry.ts) in a worker thread. workerData: HostileRegistryOptions with
 * `counters` on a SharedArrayBuffer; posts `{ host }` once listening, and serves until terminated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startHostileRegistry, type HostileRegistryOptions } from './hostile-registry.js';

if (!parentPort) throw new Error('hostile-registry-worker must run in a worker thread');
const registry = await startHostileRegistry(workerData as HostileRegistryOptions);
parentPort.postMessage({ host: registry.host });
