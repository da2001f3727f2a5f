import { readFileSync } from 'fs';
import { join } from 'path';

import { headerValue, mediaTypeOf, originOf } from '../../nodes/AIConnect/transport/headers';

describe('header lookup and origins', () => {
	test('headerValue finds a header whatever its case, and joins repeated values', () => {
		const headers = { 'Content-Type': 'Text/HTML; charset=utf-8', 'x-list': ['a', 'b'] };
		expect(headerValue(headers, 'content-type')).toBe('Text/HTML; charset=utf-8');
		expect(headerValue(headers, 'X-LIST')).toBe('a, b');
		expect(headerValue(headers, 'retry-after')).toBeUndefined();
		expect(mediaTypeOf(headers)).toBe('text/html');
		expect(mediaTypeOf({})).toBe('');
	});

	test('originOf: scheme, host and port count; default ports and case do not', () => {
		expect(originOf('https://API.example.com/v1/chat')).toBe('https://api.example.com');
		expect(originOf('https://api.example.com:443/v1')).toBe('https://api.example.com');
		expect(originOf('http://api.example.com/v1')).not.toBe(originOf('https://api.example.com/v1'));
		expect(originOf('http://127.0.0.1:8080/v1')).not.toBe(originOf('http://127.0.0.1:8081/v1'));
	});
});

test('the credential stands alone: it imports nothing from nodes/', () => {
	const dir = join(__dirname, '../../credentials');
	for (const file of ['AIConnectApi.credentials.ts', 'credentialRules.ts']) {
		const source = readFileSync(join(dir, file), 'utf8');
		expect(source).not.toMatch(/from\s+['"][^'"]*nodes\//);
	}
});
