'use strict';
/**
 * n8n's REST API as the editor uses it: owner setup and login, credentials, workflows, manual runs polled to
 * their end, binary data and model lists. CommonJS, Node built-ins only.
 */
const { CREDENTIAL_TYPE, NODE_TYPE, OWNER } = require('./constants');
const { sleep } = require('./processes');
const { unflatten } = require('./run-data');

/** @typedef {import('./workflows').Workflow} Workflow */
/** @typedef {import('./run-data').ExecutionResult} ExecutionResult */
/**
 * @typedef {object} Credential
 * @property {string} id
 * @property {string} name
 * @property {string} type
 */
/** @typedef {{ apiKey: string, baseUrl: string, organizationId?: string, extraHeaders?: string }} AIConnectCredentialData */

/** n8n wraps REST answers as {data}; this unwraps them and throws with the body on HTTP errors. */
class N8nClient {
	/** @param {string} url n8n's origin */
	constructor(url) {
		this.url = url.replace(/\/$/, '');
		this.cookie = '';
		this.browserId = 'aiconnect-harness';
	}

	/**
	 * @overload
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} body
	 * @param {{ headers?: Record<string, string>, raw: true }} options
	 * @returns {Promise<Response>} the answer as it came, whatever its status
	 */
	/**
	 * @overload
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} [body]
	 * @param {{ headers?: Record<string, string>, raw?: false, okStatuses?: number[] }} [options]
	 * @returns {Promise<any>} the unwrapped `data`; statuses in `okStatuses` do not throw
	 */
	/**
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} [body]
	 * @param {{ headers?: Record<string, string>, raw?: boolean, okStatuses?: number[] }} [options]
	 * @returns {Promise<any>}
	 */
	async request(method, route, body, { headers = {}, raw = false, okStatuses } = {}) {
		/** @type {{ method: string, headers: Record<string, string>, body?: string }} */
		const init = { method, headers: { 'browser-id': this.browserId, ...headers } };
		if (this.cookie) init.headers.cookie = this.cookie;
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const res = await fetch(this.url + route, init);
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		if (raw) return res;
		const text = await res.text();
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = text;
		}
		if (!res.ok && !(okStatuses || []).includes(res.status)) {
			const message = `n8n ${method} ${route} → ${res.status}: ${typeof parsed === 'string' ? parsed : JSON.stringify(parsed)}`;
			throw Object.assign(new Error(message), { status: res.status, body: parsed });
		}
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/**
	 * @param {string} route
	 * @param {{ okStatuses?: number[] }} [opts]
	 */
	get(route, opts) {
		return this.request('GET', route, undefined, opts);
	}

	/**
	 * @param {string} route
	 * @param {unknown} [body]
	 * @param {{ okStatuses?: number[] }} [opts]
	 */
	post(route, body, opts) {
		return this.request('POST', route, body, opts);
	}

	/** Owner setup, then login; both are idempotent for the fixed harness owner. */
	async setupOwner(owner = OWNER) {
		const settings = await this.get('/rest/settings');
		if (settings.userManagement && settings.userManagement.showSetupOnFirstLoad) {
			await this.post('/rest/owner/setup', owner);
		}
		await this.login(owner);
		return owner;
	}

	/** @param {{ email: string, password: string }} [owner] */
	async login({ email, password } = OWNER) {
		return this.post('/rest/login', { emailOrLdapLoginId: email, password });
	}

	/**
	 * @param {{ name?: string, type?: string, data: AIConnectCredentialData | Record<string, unknown> }} options
	 * @returns {Promise<Credential>}
	 */
	async createCredential({ name = 'AIConnect account', type = CREDENTIAL_TYPE, data }) {
		return this.post('/rest/credentials', { name, type, data });
	}

	/**
	 * n8n's credential test, as the editor calls it: { status: 'OK' | 'Error', message }.
	 * n8n tests only the data in the request body (secrets un-redacted from the stored copy), so without
	 * `data` this sends the stored data back the way the editor does, redacted.
	 * @param {Credential} credential
	 * @param {Record<string, unknown>} [data]
	 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
	 */
	async testCredential(credential, data) {
		const body = data || (await this.get(`/rest/credentials/${credential.id}?includeData=true`)).data;
		return this.post('/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data: body },
		});
	}

	/**
	 * Create a workflow from exported JSON (id fields are dropped so n8n assigns new ones); AIConnect nodes get
	 * `credentials` when given.
	 * @param {Workflow} workflow
	 * @param {{ credentials?: Credential }} [options]
	 * @returns {Promise<Workflow & { id: string, versionId: string }>}
	 */
	async importWorkflow(workflow, { credentials } = {}) {
		const nodes = JSON.parse(JSON.stringify(workflow.nodes));
		if (credentials) {
			for (const node of nodes) {
				if (node.type === NODE_TYPE) node.credentials = { [CREDENTIAL_TYPE]: { id: credentials.id, name: credentials.name } };
			}
		}
		return this.post('/rest/workflows', {
			name: workflow.name,
			nodes,
			connections: workflow.connections || {},
			settings: workflow.settings || { executionOrder: 'v1' },
			pinData: workflow.pinData || {},
			active: false,
		});
	}

	/**
	 * Activates (publishes) a workflow and waits until its triggers are live. n8n 2.41 publishes through an outbox,
	 * after the request returns; its `publication-status` says when the webhooks are registered (older n8n
	 * registers them before answering and has no such route: 404).
	 * @param {{ id: string }} workflow
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async activateWorkflow(workflow, { timeoutMs = 30000 } = {}) {
		const current = await this.get(`/rest/workflows/${workflow.id}`);
		const activated = await this.post(`/rest/workflows/${workflow.id}/activate`, { versionId: current.versionId });
		const until = Date.now() + timeoutMs;
		for (;;) {
			const publication = await this.get(`/rest/workflows/${workflow.id}/publication-status`, { okStatuses: [404] });
			if (!publication || !publication.status || publication.status === 'published') return activated;
			if (publication.status === 'failed' || publication.status === 'partial') {
				throw new Error(`n8n could not publish workflow ${workflow.id}: ${JSON.stringify(publication.triggers)}`);
			}
			if (Date.now() > until) throw new Error(`workflow ${workflow.id} was not published within ${timeoutMs} ms (status ${publication.status})`);
			await sleep(200);
		}
	}

	/** @param {{ id: string }} workflow */
	async deactivateWorkflow(workflow) {
		return this.post(`/rest/workflows/${workflow.id}/deactivate`, {});
	}

	/**
	 * Manual run of a saved workflow from `triggerName` (the editor's "Execute workflow"), polled to the end.
	 * @param {{ id: string }} workflow
	 * @param {{ triggerName?: string, timeoutMs?: number }} [options]
	 * @returns {Promise<ExecutionResult>}
	 */
	async runWorkflow(workflow, { triggerName, timeoutMs = 60000 } = {}) {
		const saved = await this.get(`/rest/workflows/${workflow.id}`);
		const trigger = triggerName || (saved.nodes.find((/** @type {{ type: string }} */ n) => /manualTrigger$/.test(n.type)) || saved.nodes[0]).name;
		const started = await this.post(`/rest/workflows/${workflow.id}/run`, { workflowData: saved, triggerToStartFrom: { name: trigger } });
		if (!started || !started.executionId) throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		return this.waitForExecution(started.executionId, { timeoutMs });
	}

	/**
	 * @param {string} executionId
	 * @param {{ timeoutMs?: number }} [options]
	 * @returns {Promise<ExecutionResult>}
	 */
	async waitForExecution(executionId, { timeoutMs = 60000 } = {}) {
		const until = Date.now() + timeoutMs;
		// n8n 1.x can report an execution's status before its run data is stored: a finished execution without any
		// node's run and without an error is read again for a while before it is believed (seen for success and,
		// once in CI on n8n 1.123, for error).
		const emptyUntil = Date.now() + 5000;
		for (;;) {
			const execution = await this.get(`/rest/executions/${executionId}`, { okStatuses: [404] });
			if (execution && execution.id && execution.finished !== undefined && !['new', 'running', 'waiting'].includes(execution.status)) {
				const data = typeof execution.data === 'string' ? unflatten(execution.data) : execution.data;
				const resultData = (data && data.resultData) || {};
				const runData = resultData.runData || {};
				const incomplete = Object.keys(runData).length === 0 && !resultData.error && Date.now() < emptyUntil;
				if (!incomplete) return { execution, status: execution.status, runData, error: resultData.error };
			}
			if (Date.now() > until) throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
			await sleep(200);
		}
	}

	/**
	 * Latest executions of a workflow (newest first), e.g. after a webhook call.
	 * @param {string} workflowId
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId) {
		const list = await this.get(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		return (list && list.results) || [];
	}

	/**
	 * Raw bytes of a binary item stored by n8n (filesystem/database mode ids like "filesystem-v2:…").
	 * @param {string} id
	 */
	async binaryData(id) {
		const res = await this.request('GET', `/rest/binary-data?id=${encodeURIComponent(id)}&action=download`, undefined, { raw: true });
		if (!res.ok) throw new Error(`binary-data ${id} → ${res.status}`);
		return Buffer.from(await res.arrayBuffer());
	}

	/**
	 * loadOptions through the editor's endpoint (POST in n8n 2.x).
	 * @param {{ methodName: string, credential?: Credential, currentNodeParameters?: Record<string, unknown>, nodeType?: string,
	 *   version?: number, path?: string }} options
	 * @returns {Promise<Array<{ name: string, value: string, description?: string }>>}
	 */
	async loadOptions({ methodName, credential, currentNodeParameters = {}, nodeType = NODE_TYPE, version = 1, path: paramPath = 'model' }) {
		return this.post('/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: nodeType, version },
			path: paramPath,
			methodName,
			currentNodeParameters,
			credentials: credential ? { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } } : undefined,
		});
	}
}

module.exports = { N8nClient };
