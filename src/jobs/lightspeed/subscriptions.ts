/** The Lightspeed webhook types the sync listens to (DESIGN §3), and where each is delivered. */
export const LIGHTSPEED_WEBHOOK_TYPES = ['inventory.update', 'product.update', 'sale.update', 'consignment.receive'] as const;
export type ListenedType = (typeof LIGHTSPEED_WEBHOOK_TYPES)[number];

/** Each subscription URL carries the store and the type, so a delivery is routed before it is parsed. */
export const lightspeedWebhookUrl = (appUrl: string, storeId: string, type: string) => `${appUrl}/api/webhooks/lightspeed/${storeId}/${type}`;
