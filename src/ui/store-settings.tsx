'use client';

import { Button, Checkbox, Flex, FormGroup, InlineMessage, Panel, Select, Text } from '@bigcommerce/big-design';
import { useEffect, useState } from 'react';
import { actionLabels, grantableActions, type GrantableAction, refusal } from '@/core/access/permissions';
import type { Settings, StockMode } from '@/app/api/settings/schema';
import { apiFetch, useApi, useMay, useSessionToken } from './session';

const options = [
  { value: 'default-location' as const, content: "Default location only (BigCommerce's standard)" },
  { value: 'aggregated' as const, content: 'The sum of the enabled locations (switched on by BigCommerce support)' },
];

/** Store settings: which stock the storefronts sell, and what the store's other users may do. */
export function StoreSettings() {
  const { data, error, mutate } = useApi<Settings>('/api/settings');
  return (
    <>
      {error ? <InlineMessage type="error" messages={[{ text: `Could not load the settings: ${error.message}` }]} marginBottom="medium" /> : null}
      <StockModeSettings settings={data} onSaved={(saved) => void mutate(saved, { revalidate: false })} />
      <StaffPermissions settings={data} onSaved={(saved) => void mutate(saved, { revalidate: false })} />
    </>
  );
}

function StockModeSettings({ settings, onSaved }: { settings: Settings | undefined; onSaved: (s: Settings) => void }) {
  const token = useSessionToken();
  const mayChange = useMay('settings.change');
  const [mode, setMode] = useState<StockMode | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (settings) setMode(settings.stockMode);
  }, [settings]);

  const save = async () => {
    if (!mode) return;
    setSaving(true);
    setResult(null);
    try {
      onSaved(await apiFetch<Settings>(token, '/api/settings', { method: 'PUT', body: JSON.stringify({ stockMode: mode }) }));
      setResult({ ok: true, text: 'Saved.' });
    } catch (e) {
      setResult({ ok: false, text: `The storefront stock setting was not saved: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Panel header="Storefront stock" data-testid="store-settings">
      <Text>
        BigCommerce storefronts sell the default location&apos;s stock, unless BigCommerce support has switched the store to the sum of its enabled locations.
        Tell Counterpart which one your store uses so that nothing is counted twice.
      </Text>
      <FormGroup>
        <Select
          label="Storefront stock"
          placeholder="Choose one"
          options={options}
          value={mode ?? undefined}
          onOptionChange={(v: StockMode) => setMode(v)}
          disabled={!mayChange}
          description={mayChange ? undefined : refusal('settings.change')}
        />
      </FormGroup>
      <Flex alignItems="center" flexGap="1rem" marginTop="medium">
        <Button onClick={() => void save()} isLoading={saving} disabled={!mayChange || !mode || mode === settings?.stockMode}>
          Save
        </Button>
        {result ? <InlineMessage type={result.ok ? 'success' : 'error'} messages={[{ text: result.text }]} /> : null}
      </Flex>
    </Panel>
  );
}

function StaffPermissions({ settings, onSaved }: { settings: Settings | undefined; onSaved: (s: Settings) => void }) {
  const token = useSessionToken();
  const isOwner = useMay('permissions.manage');
  const [granted, setGranted] = useState<GrantableAction[]>([]);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (settings) setGranted(settings.staffPermissions);
  }, [settings]);

  const changed = settings !== undefined && [...granted].sort().join() !== [...settings.staffPermissions].sort().join();
  const toggle = (action: GrantableAction) => setGranted((g) => (g.includes(action) ? g.filter((a) => a !== action) : [...g, action]));
  const save = async () => {
    setSaving(true);
    setResult(null);
    try {
      onSaved(await apiFetch<Settings>(token, '/api/settings', { method: 'PUT', body: JSON.stringify({ staffPermissions: granted }) }));
      setResult({ ok: true, text: 'Saved. Other users get the change the next time they act.' });
    } catch (e) {
      setResult({ ok: false, text: `What other users may do was not saved: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Panel header="What other users may do" data-testid="staff-permissions">
      <Text>
        Users the store owner gave access to Counterpart in BigCommerce can always see every page and check Lightspeed for changes.{' '}
        {isOwner ? 'Allow them more here:' : 'The store owner can allow more; today they may also:'}
      </Text>
      {isOwner ? (
        <>
          <FormGroup>
            {grantableActions.map((action) => (
              <Checkbox key={action} label={capitalise(actionLabels[action])} checked={granted.includes(action)} onChange={() => toggle(action)} />
            ))}
          </FormGroup>
          <Flex alignItems="center" flexGap="1rem" marginTop="medium">
            <Button variant="secondary" onClick={() => void save()} isLoading={saving} disabled={!changed}>
              Save permissions
            </Button>
            {result ? <InlineMessage type={result.ok ? 'success' : 'error'} messages={[{ text: result.text }]} /> : null}
          </Flex>
        </>
      ) : (
        <Text data-testid="granted-list" marginBottom="none">
          {settings?.staffPermissions.length ? settings.staffPermissions.map((a) => actionLabels[a]).join('; ') : 'nothing more.'}
        </Text>
      )}
    </Panel>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
