// n8n's current community-node rules: the checks n8n's package scanner applies before a package is
// accepted (no runtime dependencies, allowed imports only, no timer/process globals, ...).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';

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
];
