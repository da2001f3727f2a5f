import { createHmac, randomBytes } from 'crypto';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialProblem, normalizeBaseUrl } from '../../../credentials/credentialRules';

export const CREDENTIAL_TYPE = 'aiConnectApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/**
 * What one node run has read of the credential. n8n reads and decrypts a credential from its database on
 * every getCredentials call; three reads per item were half of the node's own per-item cost in real n8n
 * (bench/README.md), so the credential is read once per run — unless a field is an expression, which n8n
 * resolves per item (`getCredentials(type, itemIndex)`): then every item gets its own read, so one
 * tenant's key never goes out with another tenant's item. A failed read is not kept, so every item
 * reports its own error.
 */
interface RunCredentials {
	/** Whether the values may differ between items: decided once per run. */
	perItem?: Promise<boolean>;
	shared?: Promise<ICredentialDataDecryptedObject>;
	byItem: Map<number, Promise<ICredentialDataDecryptedObject>>;
}

const credentialsByRun = new WeakMap<Context, RunCredentials>();

/** A credential read, forgotten again if it fails. */
function remembered(
	read: Promise<ICredentialDataDecryptedObject>,
	forget: () => void,
): Promise<ICredentialDataDecryptedObject> {
	read.catch(forget);
	return read;
}

/** Whether a stored credential value is an n8n expression (`={{ … }}`), anywhere in the data. */
const hasExpression = (value: unknown): boolean =>
	typeof value === 'string'
		? value.startsWith('=')
		: typeof value === 'object' && value !== null && Object.values(value).some(hasExpression);

/**
 * Whether the credential's values can depend on the item. n8n's node API has no way to ask: getCredentials
 * returns values with expressions already resolved. n8n's credentials helper (on the execution context's
 * additionalData, as n8n-core 2.x builds it) can return the stored data unresolved (`raw`), where an
 * expression is a string starting with "=". When that is not available, or fails, the answer is "yes":
 * a read per item is slower but never wrong. A run of one item has nothing to mix.
 */
async function dependsOnItem(context: IExecuteFunctions): Promise<boolean> {
	if (context.getInputData().length <= 1) return false;
	const internals = context as unknown as {
		additionalData?: {
			credentialsHelper?: {
				getDecrypted?: (...args: unknown[]) => Promise<ICredentialDataDecryptedObject>;
			};
		};
	};
	const additionalData = internals.additionalData;
	const helper = additionalData?.credentialsHelper;
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	const perItem = (why: string) => {
		context.logger.debug(`AIConnect reads its credential for every item: ${why}`);
		return true;
	};
	if (typeof helper?.getDecrypted !== 'function' || !reference) return perItem('n8n offers no way to see whether its fields are expressions');
	try {
		const raw = await helper.getDecrypted(additionalData, reference, CREDENTIAL_TYPE, context.getMode(), undefined, true);
		return hasExpression(raw) ? perItem('a field is an expression') : false;
	} catch (error) {
		return perItem(`its stored form could not be read (${(error as Error).message})`);
	}
}

/** The credential's values for the item (for model lists, which have no item, the only ones). */
export async function credentialsOf(context: Context, itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
	let run = credentialsByRun.get(context);
	if (!run) credentialsByRun.set(context, (run = { byItem: new Map() }));
	const state = run;
	const shared = () =>
		(state.shared ??= remembered(context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex), () => {
			state.shared = undefined;
		}));
	if (itemIndex === undefined || !('getInputData' in context)) return await shared();
	if (!state.perItem) {
		const decided = dependsOnItem(context);
		state.perItem = decided;
		decided.catch(() => (state.perItem = undefined));
	}
	if (!(await state.perItem)) return await shared();
	let read = state.byItem.get(itemIndex);
	if (!read) {
		read = remembered(context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex), () =>
			state.byItem.delete(itemIndex),
		);
		state.byItem.set(itemIndex, read);
	}
	return await read;
}

/** JSON with object keys in sorted order, so equal values give equal text. */
const canonical = (value: unknown): string =>
	JSON.stringify(value, (_key, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner,
	);

/** Made once per process and never shown: fingerprints can't be compared with anything outside it. */
const FINGERPRINT_KEY = randomBytes(32);

/**
 * A fingerprint of the credential as n8n resolves it for the item: equal for two items exactly when every
 * field is (API key, Base URL, organization, Extra Headers, and any other). Actions that send several items
 * in one request group on it, so a request only ever carries the data of items that share its credential.
 * It is an HMAC under a per-process random key: it says nothing about the secret, even if it were logged.
 */
export async function credentialFingerprint(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await credentialsOf(context, itemIndex);
	return createHmac('sha256', FINGERPRINT_KEY).update(canonical(credentials)).digest('base64url');
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
