/**
 * The project's own build (tsup.config.ts) as the benchmark builds it: the same entries, formats,
 * splitting and externals, without declaration files (they do not load at run time), into the folder
 * named by `TRIBUTARY_BENCH_OUT_DIR`.
 */
import type { Options } from 'tsup';
import project from '../tsup.config.js';

const outDir = process.env['TRIBUTARY_BENCH_OUT_DIR'];
if (!outDir) throw new Error('TRIBUTARY_BENCH_OUT_DIR is not set');

const configs: Options[] = Array.isArray(project) ? project : [project as Options];

export default configs.map((config): Options => ({ ...config, dts: false, outDir, clean: true, sourcemap: false }));
