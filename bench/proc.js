'use strict';
/**
 * Memory readings of a running process from /proc (Linux only), a sampler, and the benchmark's WAV generator.
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

/**
 * A valid PCM WAV (16 kHz mono 16-bit, a 440 Hz tone) of exactly `bytes` bytes. One 400-sample period of the
 * tone is repeated; the write buffer holds whole periods, so the tone is continuous and generating 200 MiB
 * takes about a second and 1 MiB of memory.
 */
function writeWav(file, bytes) {
	const dataBytes = bytes - 44;
	if (dataBytes <= 0 || dataBytes % 2) throw new Error(`WAV size ${bytes} must be even and above 44 bytes`);
	const rate = 16000;
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate * 2, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataBytes, 40);
	const period = Buffer.alloc(400 * 2); // 440 Hz at 16 kHz repeats every 400 samples
	for (let i = 0; i < 400; i++) period.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
	const chunk = Buffer.concat(Array(1311).fill(period)); // ≈ 1 MiB
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeSync(fd, header);
		for (let written = 0; written < dataBytes; ) {
			const n = Math.min(chunk.length, dataBytes - written);
			fs.writeSync(fd, chunk, 0, n);
			written += n;
		}
	} finally {
		fs.closeSync(fd);
	}
}

module.exports = { memoryOf, memoryNow, resetPeak, childrenOf, startSampler, writeWav };
