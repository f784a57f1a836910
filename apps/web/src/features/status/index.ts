import { defineFeature } from '../../core/feature.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** The connection's state at a glance. */
export const statusFeature = defineFeature({
  name: 'status',
  start: () => ({ ui: { topbar: StatusBadge } }),
});
