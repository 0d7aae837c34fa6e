// Starts one of talc's threads from the TypeScript sources, when talc runs from
// them rather than from the bundle (see thread.ts): a thread does not inherit
// tsx.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
