import type * as Sdk from '@n8n/ai-node-sdk';
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type AiNodeSdk = typeof Sdk;

/** The first n8n whose agents take a chat model from a community package through @n8n/ai-node-sdk. */
export const MIN_N8N_VERSION = '2.16';

/**
 * n8n's AI node SDK, loaded when the model is first asked for, not when n8n loads the package: n8n loads all
 * of a package's nodes in one go and gives up on the whole package if one node file fails to load (n8n-core's
 * PackageDirectoryLoader), so a top-level import would take the AIConnect node down with this one on an n8n
 * that has no SDK (before 2.16). There the model node still loads, and says what it needs when used.
 */
export async function loadSdk(node: INode): Promise<AiNodeSdk> {
	try {
		return await import('@n8n/ai-node-sdk');
	} catch (error) {
		throw new NodeOperationError(node, `AIConnect Chat Model needs n8n ${MIN_N8N_VERSION} or newer`, {
			description: `This n8n does not provide @n8n/ai-node-sdk (${(error as Error).message.split('\n')[0]}), through which n8n's AI Agent takes a chat model from a community package. Update n8n, or use the AIConnect node's Chat → Complete, which works on every n8n.`,
		});
	}
}
