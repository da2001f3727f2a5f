// n8n's default ESLint config for community nodes (what `n8n-node new` scaffolds and `n8n-node cloud-support
// enable` writes), used by `n8n-node lint`. One addition: the folders that are never published (tests, the local
// provider, the harness, the benchmark, the scripts) are ignored. They are Node tooling: they must use fs,
// child_process, process and __dirname and hold fake test keys, which the rules for code that runs inside n8n
// (rightly) refuse. What ships (nodes/, credentials/, package.json) gets the whole config, with Cloud support.
// Because of this addition `n8n-node cloud-support` calls the config custom; see docs/verification.md.
// @n8n/node-cli is not a dev dependency (see docs/verification.md); npm test runs n8n's scanner instead.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [globalIgnores(['test/', 'dev/', 'bench/', 'harness/', 'scripts/', '.n8n-dev/', 'test-artifacts/']), ...config];
