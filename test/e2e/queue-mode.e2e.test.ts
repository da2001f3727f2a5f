// Queue mode (Redis, one main, two workers) as part of the e2e suite: runs test/queue/queue-mode.js (also
// `npm run test:queue`) as a child process with the package the global setup packed, and passes when every
// check in it passes. Needs redis-server (Debian package `redis-server`; `npm test` installs it when run as root).
// Without it the test fails with the command to run: nothing is skipped silently (`npm test -- --skip=queue`
// leaves this file out on purpose).
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as harness from '../../harness/n8n';
import { e2eState } from './support/n8n-session';

const SCRIPT = path.join(harness.REPO_ROOT, 'test', 'queue', 'queue-mode.js');

test(
	'AIConnect runs in queue mode: webhook calls spread over two workers, all succeed, binaries intact',
	async () => {
		const redisInstalled = spawnSync(process.env.REDIS_SERVER || 'redis-server', ['--version']).status === 0;
		if (!redisInstalled) throw new Error('redis-server is not installed: run `apt-get install -y redis-server` (or `npm test -- --skip=queue` to leave this test out)');
		const result = await harness.run(process.execPath, [SCRIPT, '--tgz', e2eState().tgz], { timeoutMs: 240000, allowFail: true });
		// Prefixed, so the script's own "N passed, N failed" line is not taken for npm test's summary.
		process.stdout.write(`\n${result.stdout.replace(/^(?=.)/gm, '[queue-mode] ')}`);
		if (result.code !== 0) process.stderr.write(result.stderr.split('\n').slice(-40).join('\n'));
		expect(result.stdout).toMatch(/^\d+ passed, 0 failed$/m);
		expect(result.code).toBe(0);
	},
	300000,
);
