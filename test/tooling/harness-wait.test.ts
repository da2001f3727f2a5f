// The harness's wait for a manual execution: n8n 1.x can report an execution finished before its run data is
// stored, and the tests would then read an empty run (seen in CI on n8n 1.123 for a failed execution).
import { N8nClient } from '../../harness/n8n';

/** A client whose `GET /rest/executions/:id` answers come from `answers`, one per poll, the last repeated. */
function clientAnswering(answers: unknown[]) {
	const client = new N8nClient('http://127.0.0.1:9');
	let polls = 0;
	client.get = async () => answers[Math.min(polls++, answers.length - 1)];
	return { client, polls: () => polls };
}

const failedRun = {
	resultData: {
		runData: { AIConnect: [{ error: { message: 'The model `fault-status-404` does not exist' } }] },
		error: { message: 'The model `fault-status-404` does not exist' },
	},
};

test('a failed execution reported before its run data is read again until the data is there', async () => {
	const { client, polls } = clientAnswering([
		{ id: '1', finished: false, status: 'error', data: { resultData: {} } },
		{ id: '1', finished: false, status: 'error', data: failedRun },
	]);
	const result = await client.waitForExecution('1', { timeoutMs: 10000 });
	expect(polls()).toBe(2);
	expect(result.status).toBe('error');
	expect(result.runData.AIConnect[0].error.message).toContain('fault-status-404');
});

test('a finished execution with an error but no node run is believed at once', async () => {
	const { client, polls } = clientAnswering([{ id: '1', finished: false, status: 'error', data: { resultData: { error: { message: 'workflow has issues' } } } }]);
	const result = await client.waitForExecution('1', { timeoutMs: 10000 });
	expect(polls()).toBe(1);
	expect(result.error.message).toBe('workflow has issues');
});
