// A streaming webhook's answer as the HTTP client receives it: n8n writes one JSON object per line ({"type":
// "begin" | "item" | "end" | "error", "content", "metadata"}); each chunk is kept with the number of the network
// read it arrived in, so a test can tell pieces that arrived apart from an answer that came all at once.
import * as http from 'http';

export interface ArrivedChunk {
	type: string;
	content?: string;
	metadata?: { nodeName?: string; itemIndex?: number };
	/** Which read of the response body completed this line (0, 1, 2 …). */
	read: number;
}

export async function postStreaming(url: string, body: unknown): Promise<{ status: number; chunks: ArrivedChunk[]; text: string }> {
	return await new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (response) => {
			const chunks: ArrivedChunk[] = [];
			let pending = '';
			let all = '';
			let read = 0;
			response.setEncoding('utf8');
			response.on('data', (piece: string) => {
				all += piece;
				pending += piece;
				const lines = pending.split('\n');
				pending = lines.pop() ?? '';
				for (const line of lines.filter((l) => l.trim() !== '')) {
					try {
						chunks.push({ ...(JSON.parse(line) as Omit<ArrivedChunk, 'read'>), read });
					} catch {
						chunks.push({ type: 'unparsed', content: line, read });
					}
				}
				read++;
			});
			response.on('end', () => {
				if (pending.trim()) chunks.push({ type: 'unparsed', content: pending, read });
				resolve({ status: response.statusCode ?? 0, chunks, text: all });
			});
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end(JSON.stringify(body));
	});
}

/** The text of the item chunks a node sent. */
export const streamedText = (chunks: ArrivedChunk[], nodeName?: string) =>
	chunks
		.filter((chunk) => chunk.type === 'item' && (!nodeName || chunk.metadata?.nodeName === nodeName))
		.map((chunk) => chunk.content ?? '')
		.join('');
