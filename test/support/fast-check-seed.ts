/**
 * Every property test runs the same cases from run to run, so a CI run fails only on a change, never
 * on a draw: a property that passes the seed below is held to it. `FC_SEED=n npm test` draws others
 * (`FC_SEED=random` a new one each run), to look for cases the fixed seed does not reach; a property
 * with a seed of its own keeps it.
 */
import fc from 'fast-check';

const given = process.env.FC_SEED;
if (given !== 'random') fc.configureGlobal({ seed: given === undefined ? 20_261_206 : Number(given) });
