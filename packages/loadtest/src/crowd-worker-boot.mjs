// The crowd worker's entry (see crowd.ts). Node does not run TypeScript in a worker thread by
// itself, and tsx's loader registered in the main thread does not reach workers: register it
// here, then import the real entry, crowd-worker.ts, whose URL the main thread passes.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
