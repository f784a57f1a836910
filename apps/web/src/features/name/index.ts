import { defineFeature } from '../../core/feature.ts';
import { NameEditor } from './NameEditor.tsx';

/** Your display name, in the top bar. */
export const nameFeature = defineFeature({
  name: 'name',
  start: () => ({ ui: { topbar: NameEditor } }),
});
