/**
 * The fix loop against a real API (shard "peering": a route back through the peering, and accepting a pending peering): rebuild each scenario in a private
 * moto_server with its build script, answer from a fresh dump, run every printed fix command with the
 * real AWS CLI, read the state back with the SDK and ask again. The answer must become reachable —
 * which proves the commands are valid CLI, target the right objects, and fix the path.
 * The shards (test/support/fix-loop.ts FIX_LOOP_SHARDS) run in parallel, each with its own moto.
 */
import { fixLoopSuite } from './support/fix-loop.js';

fixLoopSuite('peering');
