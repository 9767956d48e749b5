'use client';

/** What the register page's panels share: messages, the page frame, money and time, the scan field. */
import { Badge, Box, Button, Flex, FlexItem, H1, InlineMessage, Input } from '@bigcommerce/big-design';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type controlClient, lookupProduct, type RetailerState } from '../control-client';

export type Feedback = { type: 'success' | 'error' | 'warning' | 'info'; header?: string; messages: string[] };

export const money = (symbol: string, n: number) => `${n < 0 ? '−' : ''}${symbol}${Math.abs(n).toFixed(2)}`;
export const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString('en-GB', { hour12: false });
};

export function Message({ feedback, testId, onClose }: { feedback: Feedback | null; testId: string; onClose?: () => void }) {
  if (!feedback) return null;
  return (
    <Box marginBottom="medium" data-testid={testId} data-type={feedback.type}>
      <InlineMessage type={feedback.type} header={feedback.header} messages={feedback.messages.map((text) => ({ text }))} onClose={onClose} />
    </Box>
  );
}

export function Shell({ children, title }: { children: ReactNode; title?: ReactNode }) {
  return (
    <Box marginHorizontal={{ mobile: 'medium', tablet: 'xxLarge' }} marginVertical="xLarge">
      <Flex alignItems="center" flexGap="0.75rem" marginBottom="small">
        <H1 marginBottom="none">{title ?? 'Register'}</H1>
        <Badge label="Sandbox" variant="warning" data-testid="sandbox-badge" />
      </Flex>
      {children}
    </Box>
  );
}

/** Runs one staff action: busy flag, a success or error message, then fresh sandbox data. */
export type RunAction = (name: string, show: (f: Feedback) => void, action: () => Promise<Feedback>) => Promise<void>;

/** What every action tab gets from the till. */
export interface ActionProps {
  prefix: string;
  client: ReturnType<typeof controlClient>;
  state: RetailerState;
  busy: string | null;
  run: RunAction;
  setFeedback: (f: Feedback | null) => void;
  setTouched: (productId: string) => void;
}

/** A scan field: SKU or barcode plus a quantity, submitted with Enter or the button. */
export function ScanForm({
  codeLabel = 'SKU or barcode',
  quantityLabel,
  button,
  testId,
  busy,
  onSubmit,
  extra,
}: {
  codeLabel?: string;
  quantityLabel: string;
  button: string;
  testId: string;
  busy: boolean;
  onSubmit: (code: string, quantity: string) => boolean | Promise<boolean>;
  extra?: ReactNode;
}) {
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onSubmit(code, quantity)) {
      setCode('');
      setQuantity('1');
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid={testId}>
      <Flex flexDirection={{ mobile: 'column', tablet: 'row' }} flexGap="1rem" alignItems={{ mobile: 'stretch', tablet: 'flex-end' }}>
        <FlexItem flexGrow={3} flexBasis="0">
          <Input label={codeLabel} placeholder="Scan or type, e.g. ST-1001-XS-NVY" value={code} onChange={(e) => setCode(e.target.value)} data-testid={`${testId}-code`} autoComplete="off" />
        </FlexItem>
        <FlexItem flexGrow={1} flexBasis="0">
          <Input label={quantityLabel} type="number" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} data-testid={`${testId}-quantity`} />
        </FlexItem>
        {extra}
        <Button type="submit" variant="secondary" disabled={busy} data-testid={`${testId}-submit`}>
          {button}
        </Button>
      </Flex>
    </form>
  );
}

/** A scanned code → the product, or the message to show. */
export function resolve(state: RetailerState, code: string): ReturnType<typeof lookupProduct> | string {
  if (code.trim() === '') return 'Scan or type a SKU or barcode first.';
  return lookupProduct(state, code) ?? `No product with SKU or barcode “${code.trim()}” in the sandbox catalog.`;
}
