import { describeLiveEventsInIdOrder } from '../support/live-events-order.js';

// The same test with the in-process bus: test/e2e/events-order.e2e-spec.ts.
describeLiveEventsInIdOrder('Redis');
