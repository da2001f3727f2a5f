// n8n's current community-node rules: the checks n8n's package scanner applies before a package is
// accepted (no runtime dependencies, allowed imports only, no timer/process globals, ...).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';

/** A file inside one of these folders, imported from outside it (the folder's index.ts is allowed). */
const FACES = ['transport', 'helpers', 'methods', 'scheduling'].flatMap((folder) => [`**/${folder}/*`, `!**/${folder}/index`]);

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'harness/**', 'dev/**', 'scripts/**', 'bench/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { project: './tsconfig.json' } },
	},
	{
		// The package.json rules read the manifest as one object expression.
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: ['**/*.ts', 'package.json'] },
	{
		// Each folder's index.ts is its public face: code in another folder imports transport, helpers, methods
		// and scheduling through it, never a file inside (inside a folder, files import their siblings).
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		ignores: ['nodes/AIConnect/transport/**', 'nodes/AIConnect/helpers/**', 'nodes/AIConnect/methods/**', 'nodes/AIConnect/scheduling/**'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [{ group: FACES, message: 'Import it from the folder (its index.ts is its public face).' }] }],
		},
	},
	...['transport', 'helpers', 'methods', 'scheduling'].map((folder) => ({
		files: [`nodes/AIConnect/${folder}/**/*.ts`],
		rules: {
			'no-restricted-imports': ['error', { patterns: [{ group: FACES.filter((face) => !face.includes(`/${folder}/`)), message: 'Import it from the folder (its index.ts is its public face).' }] }],
		},
	})),
];
