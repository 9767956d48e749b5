'use client';

import { useCallback, useState } from 'react';

export interface ActionMessage {
  type: 'success' | 'error' | 'info' | 'warning';
  text: string;
}

/**
 * Runs a user action with a busy label and a visible result: a thrown error becomes an error
 * message, so no failure is silent.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const run = useCallback(async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setMessage(null);
    try {
      await action();
    } catch (e) {
      setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, message, setMessage, run };
}
