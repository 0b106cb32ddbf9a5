/** Tests share the benchmark's moto_server starter. */
export * from '../../src/bench/moto.js';
