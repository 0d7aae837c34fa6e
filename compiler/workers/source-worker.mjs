// Starts the compile worker from the TypeScript sources, when talc runs from
// them rather than from the bundle: a worker thread does not inherit tsx.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
