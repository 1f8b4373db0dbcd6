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

/**
 * The customers of the demo's busy evening (`DEMO_BUSY_EVENING`): real customer accounts whose
 * passwords are random and never shown, so no one can sign in as them.
 */
export const DEMO_EVENING_CUSTOMERS: readonly { email: string; name: string }[] = [
  { email: 'alex.morgan@guests.taproom.local', name: 'Alex Morgan' },
  { email: 'priya.natarajan@guests.taproom.local', name: 'Priya Natarajan' },
  { email: 'sam.lee@guests.taproom.local', name: 'Sam Lee' },
  { email: 'jonas.becker@guests.taproom.local', name: 'Jonas Becker' },
  {
    email: 'maximiliane.featherstonehaugh@guests.taproom.local',
    name: 'Maximiliane Featherstonehaugh-Wright',
  },
  { email: 'chloe.dubois@guests.taproom.local', name: 'Chloé Dubois' },
  { email: 'kwame.mensah@guests.taproom.local', name: 'Kwame Mensah' },
  { email: 'ana.ramirez@guests.taproom.local', name: 'Ana Sofía Ramírez' },
];
