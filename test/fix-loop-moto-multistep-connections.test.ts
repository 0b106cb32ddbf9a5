/** Multi-step fix loop against moto, shard "connections" (see test/support/fix-loop-multistep.ts). */
import { multistepSuite } from './support/fix-loop-multistep.js';

multistepSuite('connections');
