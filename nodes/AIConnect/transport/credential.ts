import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialProblem, normalizeBaseUrl } from '../../../credentials/credentialRules';

export const CREDENTIAL_TYPE = 'aiConnectApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/**
 * The credential, read once per node run and shared by its items. n8n reads and decrypts a credential from
 * its database on every getCredentials call; three reads per item (the operation's Base URL, the transport's,
 * then authentication) were half of the node's own per-item cost in real n8n (bench/README.md). A failed
 * read is not kept, so every item reports its own error.
 */
const credentialsByRun = new WeakMap<Context, Promise<ICredentialDataDecryptedObject>>();

export async function credentialsOf(context: Context, itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
	let pending = credentialsByRun.get(context);
	if (!pending) {
		pending = context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex);
		credentialsByRun.set(context, pending);
		pending.catch(() => credentialsByRun.delete(context));
	}
	return await pending;
}

/** The credential as httpRequestWithAuthentication takes it, so n8n does not read it again per attempt. */
export async function decryptedCredential(context: Context, itemIndex?: number): Promise<ICredentialsDecrypted> {
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		// A copy: authentication must not be able to change what the other items use.
		data: { ...(await credentialsOf(context, itemIndex)) },
	};
}

/** The credential's Base URL, normalised, with a clear error for bad credential input. */
export async function getBaseUrl(this: Context, itemIndex?: number): Promise<string> {
	const credentials = await credentialsOf(this, itemIndex);
	// Checked here as well as in the credential so a bad value stops the item before any request.
	const problem = credentialProblem(credentials);
	if (problem) {
		throw new NodeOperationError(this.getNode(), problem, {
			itemIndex,
			description: 'Open the AIConnect credential and correct the field named above.',
		});
	}
	return normalizeBaseUrl(credentials.baseUrl);
}
