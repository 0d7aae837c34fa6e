// The files `talc init` writes: a repository where `npm install && npm run
// build` works with talc as an ordinary dependency, a first cluster, and the
// pre-commit and CI wiring.

import { RELEASES, STABLE_CONTRACT } from "../talos/versions.ts";

/** What a new repository is made of. */
interface ScaffoldOptions {
  /** The package name of the new repository. */
  name: string;
  /** The npm spec talc is installed from: a version range, a tarball or a folder. */
  talcSpec: string;
}

const GITIGNORE = `node_modules/
.talc/
# what an interrupted build can leave beside out/
.talc-build.lock*
.out.old-*
.out.new-*
# plaintext secrets and configs with secrets never belong in git
secrets.yaml
*.secrets.yaml
talosconfig
materialized/
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "es2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "skipLibCheck": true
  },
  "include": ["clusters"]
}
`;

function firstCluster(): string {
  const release = RELEASES[STABLE_CONTRACT];
  return `// A first cluster: edit it, then run \`npm run build\` and commit out/.

import { defineCluster } from "talc";

export default defineCluster({
  name: "example",
  talosVersion: "${release.talosVersion}",
  kubernetesVersion: "${release.defaultKubernetesVersion}",
  endpoint: "https://192.168.1.10:6443",
  install: { disk: "/dev/sda" },
  controlPlane: { vip: { address: "192.168.1.10", link: "eth0" } },
  nodes: [
    { hostname: "cp-1", role: "controlplane", address: "192.168.1.11/24", gateway: "192.168.1.1" },
    { hostname: "worker-1", role: "worker", address: "192.168.1.21/24", gateway: "192.168.1.1" },
  ],
});
`;
}

const PRE_COMMIT = `# pre-commit (https://pre-commit.com): checks that out/ matches the definitions.
repos:
  - repo: local
    hooks:
      - id: talc-check
        name: talc check
        entry: npx --no-install talc check
        language: system
        pass_filenames: false
        always_run: true
`;

// The repository's own .github/workflows/talc.yml with talc run from npm (test/scaffold.test.ts keeps them alike).
const WORKFLOW = `# Runs on every pull request, forks included: nothing here needs a secret.
# Uploading SARIF needs security-events: write, which GitHub withholds from
# fork pull requests, so that one step runs only where the token allows it.
name: talc
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: out/ is current
        run: npx talc check
      - name: what changes, for reviewers
        if: github.event_name == 'pull_request'
        run: npx talc diff --since "origin/\${{ github.base_ref }}" --format markdown >> "$GITHUB_STEP_SUMMARY"
      - name: policy findings as annotations
        if: always()
        run: npx talc lint --format github
      - name: policy findings as SARIF
        if: always()
        run: npx talc lint --format sarif --fail-on never > talc.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always() && (github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository)
        with:
          sarif_file: talc.sarif
          category: talc
`;

/** The files of a new repository, by path. */
export function scaffoldFiles(opts: ScaffoldOptions): Map<string, string> {
  const pkg = {
    name: opts.name,
    private: true,
    type: "module",
    scripts: { build: "talc build", check: "talc check", diff: "talc diff" },
    devDependencies: { talc: opts.talcSpec },
  };
  return new Map([
    ["package.json", JSON.stringify(pkg, null, 2) + "\n"],
    ["tsconfig.json", TSCONFIG],
    [".gitignore", GITIGNORE],
    ["clusters/example.ts", firstCluster()],
    [".pre-commit-config.yaml", PRE_COMMIT],
    [".github/workflows/talc.yml", WORKFLOW],
  ]);
}
