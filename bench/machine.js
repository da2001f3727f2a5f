'use strict';
/** The machine a bench run ran on, and how busy it was before and after. */
const { execFileSync } = require('child_process');
const os = require('os');

function machineInfo() {
	const cpus = os.cpus();
	return {
		date: new Date().toISOString(),
		cores: cpus.length,
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		ramGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		kernel: os.release(),
	};
}

/** The system's load, and which other node processes (other people's n8n, jest) were competing for the CPU. */
function loadNow() {
	let others = [];
	try {
		const ps = execFileSync('ps', ['-eo', 'pid,pcpu,args', '--no-headers'], { encoding: 'utf8' });
		others = ps
			.split('\n')
			.filter((l) => /\bnode\b|\bn8n\b|jest/.test(l) && !l.includes(__filename))
			.map((l) => l.trim().replace(/\s+/g, ' ').slice(0, 120));
	} catch {
		/* ps missing */
	}
	return { loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), uptime: safeUptime(), nodeProcesses: others.length };
}

function safeUptime() {
	try {
		return execFileSync('uptime', { encoding: 'utf8' }).trim();
	} catch {
		return `load average: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`;
	}
}

module.exports = { machineInfo, loadNow };
