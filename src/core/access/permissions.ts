/**
 * Who may do what in a store. BigCommerce's load payload says whether the user is the store
 * owner (integrations_apps_guide_users.mdx: the app "can distinguish store owners from other
 * users"). The owner may do everything. Other users may, by default, look at everything and ask
 * for a sweep (read Lightspeed again, rebuild the index): nothing that changes what the store
 * sells or how it is connected. The owner grants more, action by action, in Settings; managing
 * those grants stays with the owner. Pure: no I/O.
 */

/** Actions a store owner can grant to the store's other users. */
export const grantableActions = ['items.enable', 'items.bulk', 'catalog.mappings', 'locations.manage', 'lightspeed.connection', 'settings.change'] as const;
export type GrantableAction = (typeof grantableActions)[number];

/** Everything a route can ask for: the grantable actions, what every user may do, and the owner's own. */
export const actions = ['view', 'sweep', ...grantableActions, 'permissions.manage'] as const;
export type Action = (typeof actions)[number];

export type Role = 'owner' | 'user';

/** What every user of the store may do without a grant. */
export const everyoneMay: readonly Action[] = ['view', 'sweep'];

/** How the grants read on the Settings page, and in a refusal. */
export const actionLabels: Record<Action, string> = {
  view: 'see the app’s pages',
  sweep: 'check Lightspeed for changes now, rebuild the item list and check stock now',
  'items.enable': 'turn items on or off for online sale, one by one',
  'items.bulk': 'turn on or off every item shown at once',
  'catalog.mappings': 'decide which BigCommerce product an item is linked to',
  'locations.manage': 'map outlets to BigCommerce locations, change their stock settings (reserves, online orders) and fix stock problems',
  'lightspeed.connection': 'connect or disconnect Lightspeed',
  'settings.change': 'change the store settings (storefront stock mode, how often stock is checked)',
  'permissions.manage': 'choose what other users may do',
};

export interface Access {
  role: Role;
  /** Every action this user may take. */
  allowed: Action[];
}

/** The actions of a user, from their role and the owner's grants (unknown grants are ignored). */
export function accessFor(role: Role, grants: readonly string[]): Access {
  if (role === 'owner') return { role, allowed: [...everyoneMay, ...grantableActions, 'permissions.manage'] };
  const granted = grantableActions.filter((a) => grants.includes(a));
  return { role, allowed: [...everyoneMay, ...granted] };
}

export const may = (access: Access, action: Action): boolean => access.allowed.includes(action);

/** Why an action is refused, with the way to get it: for a 403 and for the disabled control. */
export function refusal(action: Action): string {
  if (action === 'permissions.manage') return `Only the store owner can ${actionLabels[action]}.`;
  return `Only the store owner can ${actionLabels[action]} unless they allow it for other users (Settings › What other users may do).`;
}
