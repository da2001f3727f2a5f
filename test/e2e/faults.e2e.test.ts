// Fault matrix inside real n8n: each case of faults.cases.ts is one workflow run, asserting what the user sees and
// how many requests the provider got; then a search of everything n8n stored or logged for the API key. Prints the
// matrix and writes test-artifacts/fault-matrix.md (support/fault-report.ts).
//
// It runs its own n8n (not the shared one) because the key search needs a user folder holding only these runs
// and n8n's debug log, which the shared instance does not write.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as harness from '../../harness/n8n';
import type { N8nInstance } from '../../harness/n8n';
import { startProvider } from '../../dev/provider/server';
import { sleep } from '../../harness/processes';
import { allExecutionsText, scanFiles, scanText } from '../support/secret-scan';
import type { SecretHit } from '../support/secret-scan';
import { DNS_HOST, FAULT_CASES, SECRET_HEADERS } from './faults.cases';
import { judgeFaultCase, runFaultCase } from './support/fault-runner';
import type { FaultRig, Observed } from './support/fault-runner';
import { describeObserved, matrixMarkdown } from './support/fault-report';
import type { MatrixRow } from './support/fault-report';
import { aiconnect, chain, manualTrigger, node } from './support/workflows';

// Distinctive, so a hit can only be a leak: random per run, never a default or a fixture.
const KEY = `sk-aiconnect-faults-${randomBytes(12).toString('hex')}`;
const WRONG_KEY = `sk-aiconnect-wrong-${randomBytes(12).toString('hex')}`;
// The Organization is not a secret (issue 10.2 names the key and the Extra Header values), so it is not searched.
const SECRETS = [KEY, WRONG_KEY, SECRET_HEADERS.gateway];
const SECRET_NAMES = new Map([
	[KEY, 'key'],
	[WRONG_KEY, 'wrong key'],
	[SECRET_HEADERS.gateway, 'Extra Header value'],
]);

const ARTIFACTS = path.join(harness.REPO_ROOT, 'test-artifacts');
const log = (m: string) => process.stderr.write(`[faults] ${m}\n`);

let rig: FaultRig;
let n8n: N8nInstance | undefined;
let userFolder: string;
let n8nVersion = '?';
const rows: MatrixRow[] = [];
const observedTexts: string[] = [];
let executionsRun = 0;
const started = Date.now();

beforeAll(async () => {
	// Reuse what the e2e global setup prepared (n8n install, packed package) when there is one.
	let install: harness.N8nInstall;
	let tgz: string | undefined;
	try {
		const state = JSON.parse(fs.readFileSync(process.env.AICONNECT_E2E_STATE ?? '', 'utf8'));
		install = state.n8n;
		tgz = state.tgz;
	} catch {
		install = await harness.ensureN8n({ log });
	}
	n8nVersion = install.version;
	userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-faults-'));
	const provider = await startProvider({ port: 0, apiKey: KEY });
	const whisper = await startProvider({ port: 0, profile: 'whispercpp' });
	try {
		await harness.installPackage(userFolder, { tgz, log, build: !tgz });
		n8n = await harness.startN8n({ userFolder, n8n: install, binaryMode: 'filesystem', log, env: { N8N_LOG_LEVEL: 'debug' } });
		const client = new harness.N8nClient(n8n.url);
		await client.setupOwner();
		const closedPort = await harness.freePort(); // free now, so nothing listens there
		const make = (name: string, data: Record<string, string>) =>
			client.createCredential({ name: `Faults ${name}`, data: { apiKey: KEY, baseUrl: provider.baseUrl, organizationId: '', extraHeaders: '', ...data } });
		const credentials: FaultRig['credentials'] = {
			good: await make('good', {}),
			wrongKey: await make('wrong key', { apiKey: WRONG_KEY }),
			wrongBase: await make('wrong base', { baseUrl: `${provider.origin}/not-the-api/v1` }),
			refused: await make('refused', { baseUrl: `http://127.0.0.1:${closedPort}/v1` }),
			dns: await make('dns', { baseUrl: `http://${DNS_HOST}/v1` }),
			badHeaders: await make('bad headers', { extraHeaders: '{"X-Title": ' }),
			secretHeaders: await make('secret headers', { organizationId: SECRET_HEADERS.organization, extraHeaders: JSON.stringify({ 'X-Gateway-Token': SECRET_HEADERS.gateway }) }),
			// whisper-server takes no key; the credential's key is sent anyway and must not matter.
			whispercpp: await make('whisper.cpp', { baseUrl: whisper.baseUrl }),
		};
		rig = { client, provider, whisper, credentials };
		log(`n8n ${install.version} with debug log at ${n8n.url} (pid ${n8n.pid}), provider ${provider.baseUrl}, ready in ${Math.round((Date.now() - started) / 1000)} s`);
	} catch (e) {
		await n8n?.stop();
		await provider.close();
		await whisper.close();
		throw e;
	}
}, 240000);

afterAll(async () => {
	const text = matrixMarkdown(rows, { n8nVersion, seconds: Math.round((Date.now() - started) / 1000) });
	process.stdout.write(`\n${text}\n`);
	try {
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		fs.writeFileSync(path.join(ARTIFACTS, 'fault-matrix.md'), text);
		if (n8n) fs.copyFileSync(n8n.logFile, path.join(ARTIFACTS, 'n8n-faults.log'));
	} catch (e) {
		log(`could not write artifacts: ${(e as Error).message}`);
	}
	await n8n?.stop();
	await rig?.provider.close();
	await rig?.whisper.close();
	if (userFolder && process.env.AICONNECT_E2E_KEEP !== '1') fs.rmSync(userFolder, { recursive: true, force: true });
	else if (userFolder) log(`kept ${userFolder}`);
});

describe('fault matrix', () => {
	test.each(FAULT_CASES.map((c) => [`${c.group}: ${c.name}`, c] as const))('%s', async (_title, c) => {
		let observed: Observed | undefined;
		let problems: string[];
		try {
			const run = await runFaultCase(rig, c);
			executionsRun++;
			observed = run.observed;
			// Kept for the key search: everything the user could see of this run.
			observedTexts.push(run.visibleText);
			problems = judgeFaultCase(c, observed);
		} catch (e) {
			problems = [`could not run: ${(e as Error).message}`];
		}
		rows.push({ group: c.group, name: c.name, expected: c.expected, observed: observed ? describeObserved(observed) : '—', pass: problems.length === 0, problems });
		expect(problems).toEqual([]);
	});
});

describe('the API key appears nowhere', () => {
	const where = (hits: SecretHit[]) => hits.map((h) => `${path.relative(userFolder, h.file) || h.file} (${SECRET_NAMES.get(h.secret)}, ${h.form}, ×${h.count})`).join('; ');
	const record = (name: string, expected: string, observed: string, problems: string[]) =>
		rows.push({ group: 'Key leak', name, expected, observed, pass: problems.length === 0, problems });

	test('not in the stored executions, the database, the logs, the output items or the error messages', async () => {
		// The log is written through a stream; give it a moment so the last runs' lines are in the file.
		await sleep(500);
		const problems: string[] = [];
		const dbFiles = fs.readdirSync(path.join(userFolder, '.n8n')).filter((f) => f.startsWith('database.sqlite')).map((f) => path.join(userFolder, '.n8n', f));
		const db = scanFiles(SECRETS, dbFiles);
		const logs = scanFiles(SECRETS, [n8n!.logFile, path.join(userFolder, '.n8n', 'n8nEventLog.log')]);
		const folder = scanFiles(SECRETS, [userFolder]);
		const rest = await allExecutionsText(rig.client);
		const restHits = scanText(SECRETS, rest.text, 'REST /rest/executions/:id').hits;
		const seen = scanText(SECRETS, observedTexts.join('\n'), 'output items and errors').hits;
		const logText = fs.readFileSync(n8n!.logFile, 'utf8');
		const debugLines = logText.split('\n').filter((l) => /\bdebug\b/.test(l)).length;

		if (db.bytes === 0) problems.push('database files are empty');
		if (debugLines === 0) problems.push('the n8n log has no debug lines');
		if (rest.count < executionsRun) problems.push(`only ${rest.count} of ${executionsRun} executions stored`);
		record('database files (sqlite + WAL)', '0 hits', `${db.hits.length ? where(db.hits) : '0 hits'} in ${db.files} files, ${db.bytes} bytes`, db.hits.length ? ['key found'] : []);
		record('n8n log (debug) + event log', '0 hits', `${logs.hits.length ? where(logs.hits) : '0 hits'} in ${logs.bytes} bytes, ${debugLines} debug lines`, logs.hits.length || !debugLines ? ['key found or no debug log'] : []);
		record('whole user folder (binary data, config…)', '0 hits', `${folder.hits.length ? where(folder.hits) : '0 hits'} in ${folder.files} files`, folder.hits.length ? ['key found'] : []);
		record('REST executions with data', '0 hits', `${restHits.length ? where(restHits) : '0 hits'} in ${rest.count} executions (${executionsRun} run here)`, restHits.length || rest.count < executionsRun ? ['key found or executions missing'] : []);
		record('output items + error messages', '0 hits', `${seen.length ? where(seen) : '0 hits'} in ${observedTexts.length} runs`, seen.length ? ['key found'] : []);
		expect({ db: db.hits, logs: logs.hits, folder: folder.hits, rest: restHits, seen, problems }).toEqual({ db: [], logs: [], folder: [], rest: [], seen: [], problems: [] });
	});

	test('control: the same search finds the key once a workflow puts it in its data', async () => {
		// A Set node outputs the key (stored execution data), and the AIConnect node after it has the key in a
		// parameter and fails, so n8n's debug log prints the node with its parameters.
		const workflow = chain('Fault control: key in data', [
			manualTrigger(),
			node('Leak', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ leaked: KEY }), options: {} }),
			aiconnect({ resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: `control ${KEY}` }] }, options: { temperature: 5 } }),
		]);
		const saved = await rig.client.importWorkflow(workflow, { credentials: rig.credentials.good });
		const result = await rig.client.runWorkflow(saved);
		const until = Date.now() + 10000;
		let logs = scanFiles([KEY], [n8n!.logFile]);
		while (logs.hits.length === 0 && Date.now() < until) {
			await sleep(250);
			logs = scanFiles([KEY], [n8n!.logFile]);
		}
		const dbFiles = fs.readdirSync(path.join(userFolder, '.n8n')).filter((f) => f.startsWith('database.sqlite')).map((f) => path.join(userFolder, '.n8n', f));
		const db = scanFiles([KEY], dbFiles);
		const rest = scanText([KEY], (await allExecutionsText(rig.client)).text, 'REST');
		const count = (hits: SecretHit[]) => hits.reduce((n, h) => n + h.count, 0);
		const observed = `${result.status}; database ${count(db.hits)} hit(s), REST ${count(rest.hits)}, log ${count(logs.hits)}`;
		const problems = [
			!count(db.hits) && 'not found in the database',
			!count(rest.hits) && 'not found over REST',
			!count(logs.hits) && 'not found in the log',
		].filter((p): p is string => !!p);
		record('control: key put in a Set node and a parameter', '≥ 1 hit in database, REST and log', observed, problems);
		expect(problems).toEqual([]);
	});
});
