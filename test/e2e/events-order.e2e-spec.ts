import { describeLiveEventsInIdOrder } from '../support/live-events-order.js';

// The same test with the Redis bus: test/redis/events-order.redis-spec.ts.
describeLiveEventsInIdOrder('in-process');
