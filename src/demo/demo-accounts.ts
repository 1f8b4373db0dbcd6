import type { NewUser } from '../users/users.service.js';

/** The contract's published demo accounts. Never seeded in production. */
export const DEMO_ACCOUNTS: readonly NewUser[] = [
  {
    email: 'admin@taproom.local',
    password: 'admin-demo-pass-2026',
    name: 'Demo Admin',
    role: 'admin',
  },
  {
    email: 'bartender@taproom.local',
    password: 'bartender-demo-pass-2026',
    name: 'Demo Bartender',
    role: 'bartender',
  },
  {
    email: 'customer@taproom.local',
    password: 'customer-demo-pass-2026',
    name: 'Demo Customer',
    role: 'customer',
  },
];
