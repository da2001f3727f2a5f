import type { IAuthenticate, Icon, ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { credentialHeaders, CredentialInputError, credentialProblem } from './credentialRules';

export class AIConnectApi implements ICredentialType {
	name = 'aiConnectApi';

	displayName = 'AIConnect API';

	icon: Icon = {
		light: 'file:../nodes/AIConnect/aiconnect.svg',
		dark: 'file:../nodes/AIConnect/aiconnect.dark.svg',
	};

	documentationUrl = 'https://github.com/aiconnect/n8n-nodes-aiconnect#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Leave empty for local servers that need no key (Ollama, LM Studio, vLLM without --api-key); then no Authorization header is sent',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			placeholder: 'https://api.openai.com/v1',
			description:
				'The API root. A bare origin such as http://localhost:11434 gets /v1 appended; a URL with a path (https://openrouter.ai/api/v1) is used as given.',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			description: 'Optional. Sent as the OpenAI-Organization header.',
		},
		{
			displayName: 'Extra Headers',
			name: 'extraHeaders',
			type: 'json',
			default: '{}',
			description:
				'Optional JSON object of headers sent with every request, e.g. {"HTTP-Referer": "https://example.com", "X-Title": "My App"} for OpenRouter or {"api-key": "..."} for Azure',
		},
	];

	// A function rather than a header template so that an empty key sends no Authorization header at all.
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		// The node checks the credential before every request; the credential test is sent by n8n, so the same
		// check runs here and a Base URL with a password in it is refused before anything goes out.
		const problem = credentialProblem(credentials);
		if (problem) throw new CredentialInputError(problem);
		return { ...requestOptions, headers: { ...credentialHeaders(credentials), ...(requestOptions.headers ?? {}) } };
	};

	test: ICredentialTestRequest = {
		request: {
			// normalizeBaseUrl (credentialRules.ts) as an expression, because n8n evaluates this field itself.
			baseURL:
				'={{ (() => { const u = String($credentials.baseUrl || "https://api.openai.com/v1").trim().replace(/\\/+$/, ""); return /^https?:\\/\\/[^/]+$/i.test(u) ? u + "/v1" : u; })() }}',
			url: '/models',
			method: 'GET',
			// n8n's request helper would carry the key along a redirect to another origin (it re-adds
			// Authorization and never strips api-key, OpenAI-Organization or Extra Headers); the test
			// therefore follows no redirect, and the rules below say what a redirect means.
			disableFollowRedirect: true,
		},
		// n8n shows only the HTTP reason phrase for a failed test request, so the common failures get
		// messages that say what to fix.
		rules: [
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `The Base URL answers with a redirect (${value}). The credential test sends the key to no redirect's target: set the Base URL to the address it redirects to (for http:// often the https:// one).`,
				},
			})),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The provider rejected the API key (401). Check the API Key; for Azure put the key in Extra Headers as {"api-key": "..."}.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The API key is not allowed to list models (403). Check the key\'s project, organization or permissions.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No models endpoint at this Base URL (404). Check the Base URL (usually ending in /v1). Servers without /models still work: type the model ID in the node.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'The provider is rate limiting this key or its quota is used up (429). Try again later or check billing.',
				},
			},
		],
	};
}
