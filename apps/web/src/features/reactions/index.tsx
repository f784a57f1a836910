import { REACTIONS } from '@cursorline/protocol';
import { defineFeature, undoAll } from '../../core/feature.ts';
import { onShortcut } from '../../ui/shortcuts.ts';
import { ReactionBursts } from './bursts.ts';
import { ReactionButtons } from './ReactionButtons.tsx';
import { Reactions } from './reactions.ts';

/**
 * Reactions: an emoji that bursts at the sender's cursor on everyone's screen, from the dock or
 * keys 1–6. Others' arrive as relayed `react` messages; the bursts are drawn into the cursor
 * layer, without React.
 */
export const reactionsFeature = defineFeature<Reactions>({
  name: 'reactions',
  start(page) {
    const bursts = new ReactionBursts(page.camera);
    const reactions = new Reactions(page, bursts);
    return {
      api: reactions,
      stop: undoAll(
        page.cursorLayer.use((el) => {
          bursts.attach(el);
          return () => bursts.detach(el);
        }),
        page.client.onRelay('react', ({ id, emoji }) => reactions.received(id, emoji)),
        onShortcut((e) => {
          const emoji = REACTIONS[Number(e.key) - 1];
          if (emoji && !e.repeat) reactions.send(emoji);
        }),
      ),
      ui: { dock: () => <ReactionButtons reactions={reactions} /> },
    };
  },
});
