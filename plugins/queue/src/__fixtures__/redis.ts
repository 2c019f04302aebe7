// The queue tests need a real redis-server: without one they are skipped, visibly (see @evopt/testing's probeTool).
import { commandRuns, probeTool } from '@evopt/testing';
import { REDIS_TOOL, redisServerCommand } from '../local-redis.js';

/** True when redis-server runs here; false (after one line saying how to install it) when it does not, unless EVOPT_REQUIRE_REDIS=1. */
export const hasRedis = probeTool({ ...REDIS_TOOL, found: commandRuns(redisServerCommand(), ['--version']) });
