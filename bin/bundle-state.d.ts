/** Whether bin/talc.js may run the bundled CLI under `root` (a package folder URL ending in "/"). */
export function bundleIsCurrent(root: URL, env?: NodeJS.ProcessEnv): boolean;
