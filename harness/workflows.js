'use strict';
/**
 * The one n8n workflow builder (e2e tests, the benchmark, the queue-mode check): nodes, a linear chain, the
 * AIConnect node, and a binary input item made inside the workflow. Node built-ins only.
 */
const { randomUUID } = require('crypto');

const AICONNECT_TYPE = 'n8n-nodes-aiconnect.aiConnect';
const AICONNECT_CREDENTIAL_TYPE = 'aiConnectApi';

/**
 * @typedef {object} WorkflowNode
 * @property {string} id
 * @property {string} name
 * @property {string} type
 * @property {number} typeVersion
 * @property {[number, number]} position
 * @property {Record<string, unknown>} parameters
 * @property {string} [webhookId]
 * @property {Record<string, { id: string, name: string }>} [credentials]
 * @property {string} [onError] e.g. 'continueRegularOutput' (Continue On Fail)
 */

/**
 * @typedef {object} Workflow
 * @property {string} [id]
 * @property {string} name
 * @property {WorkflowNode[]} nodes
 * @property {Record<string, any>} connections
 * @property {Record<string, unknown>} [settings]
 * @property {Record<string, unknown>} [pinData]
 */

/**
 * @param {string} name
 * @param {string} type
 * @param {number} typeVersion
 * @param {Record<string, unknown>} parameters
 * @param {Partial<WorkflowNode>} [extra] further node fields (webhookId, onError, credentials)
 * @returns {WorkflowNode}
 */
function node(name, type, typeVersion, parameters, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

/**
 * An AIConnect node (named `AIConnect` unless told otherwise).
 * @param {Record<string, unknown>} parameters
 * @param {string} [name]
 */
const aiconnect = (parameters, name = 'AIConnect') => node(name, AICONNECT_TYPE, 1, parameters);

const manualTrigger = () => node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, {});

/**
 * The node using this credential.
 * @param {WorkflowNode} n
 * @param {string} type credential type, e.g. 'aiConnectApi', 'openAiApi'
 * @param {{ id: string, name: string }} credential
 * @returns {WorkflowNode}
 */
const withCredential = (n, type, credential) => ({ ...n, credentials: { [type]: { id: credential.id, name: credential.name } } });

/**
 * Linear workflow: each node feeds the next; positions spread out so the editor shows them readably.
 * @param {string} name
 * @param {WorkflowNode[]} nodes
 * @param {Record<string, unknown>} [settings] added to `executionOrder: 'v1'`
 * @returns {Workflow}
 */
function chain(name, nodes, settings = {}) {
	/** @type {Workflow['connections']} */
	const connections = {};
	nodes.forEach((n, i) => {
		n.position = [240 + i * 220, 300];
		if (i < nodes.length - 1) connections[n.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	});
	return { name, nodes, connections, settings: { executionOrder: 'v1', ...settings } };
}

/**
 * Set (raw JSON) + Convert to File: a binary input item without network or disk access.
 * @param {Buffer} bytes
 * @param {string} fileName
 * @param {string} mimeType
 * @param {string} [property] the binary property to fill
 * @returns {WorkflowNode[]}
 */
function fileInput(bytes, fileName, mimeType, property = 'data') {
	return [
		node('Fixture', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ b64: bytes.toString('base64') }), options: {} }),
		node(`To ${property}`, 'n8n-nodes-base.convertToFile', 1.1, {
			operation: 'toBinary',
			sourceProperty: 'b64',
			binaryPropertyName: property,
			options: { fileName, mimeType },
		}),
	];
}

module.exports = { AICONNECT_TYPE, AICONNECT_CREDENTIAL_TYPE, node, aiconnect, manualTrigger, withCredential, chain, fileInput };
