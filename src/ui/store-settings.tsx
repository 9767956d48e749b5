'use client';

import { Button, Flex, FormGroup, InlineMessage, Panel, Select, Text } from '@bigcommerce/big-design';
import { useEffect, useState } from 'react';
import { apiFetch, useApi, useSessionToken } from './session';

type StockMode = 'default-location' | 'aggregated';

const options = [
  { value: 'default-location' as const, content: "Default location only (BigCommerce's standard)" },
  { value: 'aggregated' as const, content: 'Aggregated: the sum of enabled locations (set by BigCommerce support)' },
];

/** Which stock the storefronts sell: the app publishes per-location quantities to match. */
export function StoreSettings() {
  const token = useSessionToken();
  const { data, error, mutate } = useApi<{ stockMode: StockMode | null }>('/api/settings');
  const [mode, setMode] = useState<StockMode | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (data) setMode(data.stockMode);
  }, [data]);

  const save = async () => {
    if (!mode) return;
    setSaving(true);
    setResult(null);
    try {
      const saved = await apiFetch<{ stockMode: StockMode }>(token, '/api/settings', { method: 'PUT', body: JSON.stringify({ stockMode: mode }) });
      await mutate(saved, { revalidate: false });
      setResult({ ok: true, text: 'Saved.' });
    } catch (e) {
      setResult({ ok: false, text: e instanceof Error ? e.message : 'Could not save.' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Panel header="Storefront stock" data-testid="store-settings">
      <Text>
        BigCommerce storefronts sell the default location&apos;s stock, unless support has switched the store to aggregated stock. Tell us which one
        your store uses so nothing is counted twice.
      </Text>
      {error ? <InlineMessage type="error" messages={[{ text: error.message }]} marginBottom="medium" /> : null}
      <FormGroup>
        <Select label="Storefront stock mode" placeholder="Choose one" options={options} value={mode ?? undefined} onOptionChange={(v: StockMode) => setMode(v)} />
      </FormGroup>
      <Flex alignItems="center" flexGap="1rem" marginTop="medium">
        <Button onClick={() => void save()} isLoading={saving} disabled={!mode || mode === data?.stockMode}>
          Save
        </Button>
        {result ? <InlineMessage type={result.ok ? 'success' : 'error'} messages={[{ text: result.text }]} /> : null}
      </Flex>
    </Panel>
  );
}
