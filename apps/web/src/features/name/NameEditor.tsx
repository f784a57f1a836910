import { LIMITS } from '@cursorline/protocol';
import { type KeyboardEvent, useState } from 'react';
import { cleanName, saveName } from '../../core/name.ts';
import { usePage } from '../../core/page-context.tsx';

/** Your display name: sent to the room and remembered in localStorage for the next visit. */
export function NameEditor() {
  const { client, initialName } = usePage();
  const [saved, setSaved] = useState(initialName);
  const [draft, setDraft] = useState(initialName);

  // One place commits, on blur; Enter just blurs. That way Enter followed by the blur it
  // causes cannot send the name twice.
  const commit = () => {
    const name = cleanName(draft);
    if (!name) {
      setDraft(saved); // empty or not allowed: put the last good name back
      return;
    }
    setDraft(name);
    if (name === saved) return;
    setSaved(name);
    saveName(name);
    client.setName(name);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return; // Enter that confirms an IME composition
    if (e.key === 'Enter') e.currentTarget.blur();
    if (e.key === 'Escape') setDraft(saved);
  };

  return (
    <label className="name-editor">
      <span>Your name</span>
      <input
        data-testid="name-input"
        value={draft}
        maxLength={LIMITS.nameMaxLength}
        autoComplete="nickname"
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
    </label>
  );
}
