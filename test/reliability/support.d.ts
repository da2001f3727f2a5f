// Types for support.js, so the TypeScript fault suite imports it with checking.
/// <reference types="node" />
import type { N8nClient, N8nInstall } from '../../harness/n8n';

export interface SecretHit {
	file: string;
	secret: string;
	form: 'plain' | 'base64';
	count: number;
}
export function scanFiles(secrets: string[], paths: string[]): { files: number; bytes: number; hits: SecretHit[] };
export function scanText(secrets: string[], text: string, where: string): { bytes: number; hits: SecretHit[] };
export function allExecutionsText(client: N8nClient): Promise<{ count: number; text: string }>;
export function listFiles(dir: string): string[];

export interface Started {
	pid: number;
	logFile: string;
	stop(): Promise<void>;
}
export function startRedis(options: { dir: string; bin?: string }): Promise<Started & { port: number }>;
export function startWorker(options: {
	n8n: N8nInstall;
	userFolder: string;
	name: string;
	binaryMode?: 'filesystem' | 'database';
	env?: Record<string, string>;
	concurrency?: number;
	timeoutMs?: number;
}): Promise<Started & { healthPort: number; isDead(): boolean }>;
export function n8nEnv(options: {
	userFolder: string;
	port: number;
	brokerPort: number;
	binaryMode?: string;
	env?: Record<string, string>;
}): NodeJS.ProcessEnv;
export function sleep(ms: number): Promise<void>;
