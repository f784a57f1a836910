import { config } from 'zod';

// The page runs under a Content-Security-Policy without 'unsafe-eval'. zod compiles object
// schemas with `new Function` when it can, and merely probing for that is reported as a CSP
// violation; its plain interpreter is fast enough for the few JSON messages a page decodes.
// This must run before any schema is built, so main.tsx imports it first.
config({ jitless: true });
