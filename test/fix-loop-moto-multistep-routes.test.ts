/** Multi-step fix loop against moto, shard "routes" (see test/support/fix-loop-multistep.ts). */
import { multistepSuite } from './support/fix-loop-multistep.js';

multistepSuite('routes');
