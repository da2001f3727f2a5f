'use strict';
/**
 * Progress a person can follow on a long first run: every step says what it does when it starts and how long it
 * took when it ends. Node built-ins only (runs before `npm ci`).
 */

const seconds = (ms) => (ms < 10000 ? `${(ms / 1000).toFixed(1)} s` : ms < 120000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`);

/** A step log bound to one run: `await step('what it does', fn)` prints "▶ what it does" and "✔ … (12 s)" / "✘ … (12 s)". */
function stepper({ write = (line) => process.stdout.write(`${line}\n`) } = {}) {
	const runStarted = Date.now();
	async function step(title, fn) {
		const started = Date.now();
		write(`\n▶ ${title}`);
		try {
			const result = await fn();
			write(`✔ ${title} (${seconds(Date.now() - started)})`);
			return result;
		} catch (e) {
			write(`✘ ${title} (${seconds(Date.now() - started)})`);
			throw e;
		}
	}
	step.elapsed = () => seconds(Date.now() - runStarted);
	step.write = write;
	return step;
}

module.exports = { stepper, seconds };
