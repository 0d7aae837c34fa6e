// The validate stage's public surface.

export { validateDocuments } from "./validate.ts";
export { CHECKS } from "./checks/index.ts";
export { knownKinds } from "./schema.ts";
export { VALIDATION_MODES, type Check, type ValidateOptions, type ValidationMode, type ValidationProblem } from "./types.ts";
