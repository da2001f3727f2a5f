import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A new temporary folder inside the test run's own folder (AICONNECT_TEST_TMP, which the run's global
 * teardown removes), or the system's when run otherwise. Files' own cleanup can't be relied on: jest may end
 * a worker without running its exit handlers.
 */
export function testTempDir(prefix: string): string {
	return mkdtempSync(join(process.env.AICONNECT_TEST_TMP || tmpdir(), prefix));
}
