// Queue mode (Redis, one main, two workers) as part of the e2e suite: runs test/queue/queue-mode.js (also
// `npm run test:queue`) as a child process with the package the global setup packed, and passes when every
// check in it passes. Needs redis-server (Debian package `redis-server`, installed by .ci/run); without it the
// test is skipped with a notice, unless AICONNECT_REQUIRE_QUEUE=1 makes the absence a failure.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as harness from '../../harness/n8n';
import { e2eState } from './support/context';

const SCRIPT = path.join(harness.REPO_ROOT, 'test', 'queue', 'queue-mode.js');
const redisInstalled = spawnSync(process.env.REDIS_SERVER || 'redis-server', ['--version']).status === 0;
const required = process.env.AICONNECT_REQUIRE_QUEUE === '1';

if (!redisInstalled && !required) {
	process.stderr.write('[queue-mode] redis-server is not installed: queue-mode test skipped (apt-get install redis-server)\n');
}

(redisInstalled || required ? test : test.skip)(
	'AIConnect runs in queue mode: webhook calls spread over two workers, all succeed, binaries intact',
	async () => {
		if (!redisInstalled) throw new Error('redis-server is not installed (apt-get install redis-server), and AICONNECT_REQUIRE_QUEUE=1');
		const result = await harness.run(process.execPath, [SCRIPT, '--tgz', e2eState().tgz], { timeoutMs: 240000, allowFail: true });
		// Prefixed, so the script's own "N passed, N failed" line is not taken for npm test's summary.
		process.stdout.write(`\n${result.stdout.replace(/^(?=.)/gm, '[queue-mode] ')}`);
		if (result.code !== 0) process.stderr.write(result.stderr.split('\n').slice(-40).join('\n'));
		expect(result.stdout).toMatch(/^\d+ passed, 0 failed$/m);
		expect(result.code).toBe(0);
	},
	300000,
);
