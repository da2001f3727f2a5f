'use strict';
/**
 * The benchmark's workflows: the same input feeding AIConnect, n8n's built-in OpenAI node and the HTTP Request
 * node, so only the node under test differs.
 */
const { node, chain, manualTrigger: trigger, withCredential, AICONNECT_TYPE: AICONNECT } = require('../harness/workflows');

/** The node under test is always named this, so its runData is found the same way for every contender. */
const UNDER_TEST = 'Under test';
/** n8n 2.8.4's default version of the built-in OpenAI node (what a user adding it gets). */
const OPENAI_VERSION = 2.1;
const HTTP_REQUEST_VERSION = 4.4;
const CHAT_MODEL = 'gpt-4o-mini';

/** The text of item i; "Q7." is not a substring of "Q77.", so the echo proves which item an answer belongs to. */
const question = (i) => `Q${i}. What is ${i} plus one?`;

/** Set (raw JSON) + Split Out: `count` items { question } without a Code node (which would run in a task runner). */
function questionItems(count) {
	const questions = Array.from({ length: count }, (_, i) => question(i));
	return [
		node('Questions', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ question: questions }), options: {} }),
		node('One item each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'question', options: {} }),
	];
}

/**
 * The three chat contenders; `extra` adds node settings (e.g. onError) to the node under test.
 * @type {Record<string, (credential: { id: string, name: string }, extra?: Record<string, unknown>, baseUrl?: string) => import('../harness/workflows').WorkflowNode>}
 */
const chatContenders = {
	aiconnect: (credential, extra = {}) =>
		withCredential(
			node(
				UNDER_TEST,
				AICONNECT,
				1,
				{
					resource: 'chat',
					operation: 'complete',
					model: CHAT_MODEL,
					prompt: { messages: [{ role: 'user', content: '={{ $json.question }}' }] },
					options: {},
					// Request Options left at their defaults (Concurrency Adaptive up to 128, Max Retries 2).
				},
				extra,
			),
			'aiConnectApi',
			credential,
		),
	openai: (credential) =>
		withCredential(
			node(UNDER_TEST, '@n8n/n8n-nodes-langchain.openAi', OPENAI_VERSION, {
				resource: 'text',
				operation: 'response',
				modelId: { __rl: true, mode: 'id', value: CHAT_MODEL },
				responses: { values: [{ type: 'text', role: 'user', content: '={{ $json.question }}' }] },
				builtInTools: {},
				options: {},
			}),
			'openAiApi',
			credential,
		),
	// One POST per item with the node's default options (no batching): what a user writes by hand.
	http: (credential, _extra, baseUrl) =>
		withCredential(
			node(UNDER_TEST, 'n8n-nodes-base.httpRequest', HTTP_REQUEST_VERSION, {
				method: 'POST',
				url: `${baseUrl}/chat/completions`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'openAiApi',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ model: '${CHAT_MODEL}', messages: [{ role: 'user', content: $json.question }] }) }}`,
				options: {},
			}),
			'openAiApi',
			credential,
		),
};

/**
 * @param {string} contender 'aiconnect', 'openai' or 'http'
 * @param {number} count items
 * @param {{ credential: { id: string, name: string }, baseUrl?: string, extra?: Record<string, unknown> }} options
 */
function chatWorkflow(contender, count, { credential, baseUrl, extra }) {
	return chain(`bench chat ${contender} ×${count}`, [trigger(), ...questionItems(count), chatContenders[contender](credential, extra, baseUrl)]);
}

/** Read/Write Files from Disk puts the WAV into n8n's binary store (filesystem mode) as a stream; then the transcriber. */
function transcribeWorkflow(contender, file, { credential, split = false }) {
	const read = node('Read WAV', 'n8n-nodes-base.readWriteFile', 1.1, { operation: 'read', fileSelector: file, options: {} });
	const underTest =
		contender === 'aiconnect'
			? withCredential(
					// Whole, as the OpenAI node sends it (Split Long Audio would cut a file over 24 MB into pieces).
					node(UNDER_TEST, AICONNECT, 1, { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', options: { splitLongAudio: split } }),
					'aiConnectApi',
					credential,
				)
			: withCredential(
					node(UNDER_TEST, '@n8n/n8n-nodes-langchain.openAi', OPENAI_VERSION, { resource: 'audio', operation: 'transcribe', binaryPropertyName: 'data', options: {} }),
					'openAiApi',
					credential,
				);
	return chain(`bench transcribe ${contender} ${file.split('/').pop()}`, [trigger(), read, underTest]);
}

const EMBEDDING_MODEL = 'text-embedding-3-small';

/**
 * Case 6: `count` texts to embed. AIConnect batches them (Batch Size 100 by default); the HTTP Request node
 * sends one POST per item, as a user writes it by hand.
 * @param {'aiconnect' | 'http'} contender
 * @param {number} count
 * @param {{ credential: { id: string, name: string }, baseUrl: string }} options
 */
function embeddingsWorkflow(contender, count, { credential, baseUrl }) {
	const underTest =
		contender === 'aiconnect'
			? withCredential(
					node(UNDER_TEST, AICONNECT, 1, { resource: 'embeddings', operation: 'create', model: EMBEDDING_MODEL, inputSource: 'field', inputField: 'question', options: { dimensions: 16 } }),
					'aiConnectApi',
					credential,
				)
			: withCredential(
					node(UNDER_TEST, 'n8n-nodes-base.httpRequest', HTTP_REQUEST_VERSION, {
						method: 'POST',
						url: `${baseUrl}/embeddings`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'openAiApi',
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ model: '${EMBEDDING_MODEL}', input: $json.question, dimensions: 16 }) }}`,
						options: {},
					}),
					'openAiApi',
					credential,
				);
	return chain(`bench embeddings ${contender} ×${count}`, [trigger(), ...questionItems(count), underTest]);
}

module.exports = { UNDER_TEST, OPENAI_VERSION, HTTP_REQUEST_VERSION, CHAT_MODEL, question, chatWorkflow, transcribeWorkflow, embeddingsWorkflow };
