'use strict';
/**
 * Memory readings of a running process from /proc (Linux only), and a sampler of them.
 * Plain CommonJS, Node built-ins only.
 */
const fs = require('fs');

/**
 * VmRSS / VmHWM of `pid` in KiB, or undefined when the process is gone.
 * @param {number} pid
 * @returns {{ rssKb: number, hwmKb: number } | undefined}
 */
function memoryOf(pid) {
	let text;
	try {
		text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined;
	}
	const field = (name) => {
		const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
		return m ? Number(m[1]) : undefined;
	};
	return { rssKb: field('VmRSS') ?? 0, hwmKb: field('VmHWM') ?? 0 };
}

/**
 * Like memoryOf, for a process that must be running.
 * @param {number} pid
 */
function memoryNow(pid) {
	const m = memoryOf(pid);
	if (!m) throw new Error(`process ${pid} is gone`);
	return m;
}

/**
 * Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0), so the next VmHWM is the peak of
 * the run alone and not n8n's boot, which peaks higher than its idle state. False when not permitted.
 */
function resetPeak(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** Direct children of `pid` (n8n's task runners), found through /proc/<child>/stat. */
function childrenOf(pid) {
	const out = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// The command name is in parentheses and may contain spaces; fields after it are fixed.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) out.push(Number(entry));
		} catch {
			/* exited while we looked */
		}
	}
	return out;
}

/** Samples the RSS of `pids` every `intervalMs`; stop() returns [{ t, rss: { [pid]: kb } }]. */
function startSampler(pids, intervalMs = 10) {
	const samples = [];
	const take = () => {
		const rss = {};
		for (const pid of pids) {
			const m = memoryOf(pid);
			if (m) rss[pid] = m.rssKb;
		}
		samples.push({ t: Date.now(), rss });
	};
	take();
	const timer = setInterval(take, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			take();
			return samples;
		},
	};
}

module.exports = { memoryOf, memoryNow, resetPeak, childrenOf, startSampler };
