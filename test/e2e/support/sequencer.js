// Cheap, foundational checks first so a broken setup fails fast; the browser test last (slowest).
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['credentials', 'chat', 'image', 'audio', 'webhook', 'continue-on-fail', 'binary-modes', 'prism', 'examples', 'cli'];
const LAST = 'editor-ui';
const rank = (file) => {
	const name = require('path').basename(file).replace(/\.e2e\.test\.ts$/, '');
	if (name === LAST) return ORDER.length + 1;
	const i = ORDER.indexOf(name);
	return i === -1 ? ORDER.length : i; // files not listed run after these, before the browser test
};

class E2ESequencer extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
	}
}

module.exports = E2ESequencer;
