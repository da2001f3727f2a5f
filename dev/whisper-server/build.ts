// Builds whisper.cpp's `whisper-server` from the source shipped in the npm package nodejs-whisper (cpp/whisper.cpp)
// once per machine, into a cache folder outside the repo, the way the harness caches n8n: a folder counts only when
// its completion marker is there, and a lock keeps parallel runs from building twice.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as harness from '../../harness/n8n';
import { installCommand, PREREQUISITES } from '../../scripts/lib/prerequisites';

/** The npm package whose cpp/whisper.cpp is built (whisper.cpp 1.9.1 in this version). */
export const SOURCE_PACKAGE = 'nodejs-whisper@0.3.1';
const MARKER = '.whisper-server-build-complete';
const BUILD_TIMEOUT_MS = 20 * 60 * 1000;
const defaultLog: harness.Log = (message) => {
	process.stderr.write(`[whisper-server] ${message}\n`);
};

export interface WhisperServerBuild {
	/** the self-contained (statically linked) executable */
	bin: string;
	dir: string;
	/** seconds the build took when it ran (0 when the cached build was used) */
	builtInSeconds: number;
}

export function whisperServerCacheDir(): string {
	const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(cacheHome, 'n8n-nodes-aiconnect', `whisper-server-${SOURCE_PACKAGE.split('@')[1]}`);
}

/** The build tools (rows of part "whisper" in npm test's prerequisites table) that are not on PATH. */
function missingBuildTools() {
	return PREREQUISITES.filter((p) => p.part === 'whisper' && !p.found());
}

/** The cached whisper-server, building it first when there is none (about 70 s of compiling on two free cores). */
export async function ensureWhisperServer({ log = defaultLog }: { log?: harness.Log } = {}): Promise<WhisperServerBuild> {
	const dir = whisperServerCacheDir();
	const bin = path.join(dir, 'bin', 'whisper-server');
	if (fs.existsSync(path.join(dir, MARKER))) return { bin, dir, builtInSeconds: 0 };

	return harness.withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(path.join(dir, MARKER))) return { bin, dir, builtInSeconds: 0 };
		const missing = missingBuildTools();
		if (missing.length) {
			throw new Error(`building whisper-server needs ${missing.map((p) => p.program).join(', ')} on PATH. Run: ${installCommand(missing)}`);
		}
		const partial = `${dir}.partial`;
		fs.rmSync(partial, { recursive: true, force: true });
		fs.rmSync(dir, { recursive: true, force: true }); // an unmarked folder is an interrupted build
		fs.mkdirSync(partial, { recursive: true });
		const logFile = path.join(partial, 'build.log');
		const started = Date.now();

		log(`installing ${SOURCE_PACKAGE} (scripts off: only its source is used) into ${partial}`);
		fs.writeFileSync(path.join(partial, 'package.json'), JSON.stringify({ private: true, name: 'whisper-server-source' }));
		await harness.run('npm', ['install', SOURCE_PACKAGE, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: partial,
			logFile,
			env: harness.foreignNpmEnv(),
		});
		const source = path.join(partial, 'node_modules', 'nodejs-whisper', 'cpp', 'whisper.cpp');
		if (!fs.existsSync(path.join(source, 'examples', 'server', 'server.cpp'))) throw new Error(`${SOURCE_PACKAGE} has no cpp/whisper.cpp/examples/server in ${source}`);

		log(`compiling whisper-server (first run only, about 70 s on two cores; output in ${logFile})`);
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
				'-DWHISPER_BUILD_TESTS=OFF',
				'-DWHISPER_SDL2=OFF',
			],
			options,
		);
		await harness.run('cmake', ['--build', build, '-j', String(Math.max(1, Math.min(os.cpus().length, 4))), '--target', 'whisper-server'], options);

		fs.mkdirSync(path.join(partial, 'bin'));
		fs.copyFileSync(path.join(build, 'bin', 'whisper-server'), path.join(partial, 'bin', 'whisper-server'));
		fs.chmodSync(path.join(partial, 'bin', 'whisper-server'), 0o755);
		// The 35 MB of sources and objects are not needed any more; the log stays for whoever wonders how it was built.
		fs.rmSync(build, { recursive: true, force: true });
		fs.rmSync(path.join(partial, 'node_modules'), { recursive: true, force: true });
		const builtInSeconds = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(path.join(partial, MARKER), JSON.stringify({ source: SOURCE_PACKAGE, builtInSeconds, at: new Date().toISOString() }, null, 2));
		fs.renameSync(partial, dir);
		log(`whisper-server built in ${builtInSeconds} s: ${bin}`);
		return { bin, dir, builtInSeconds };
	});
}
