/** Every job the app knows. The worker works all of them. */
import { JobRegistry } from './define';
import { bigcommerceHooksSweep, bigcommerceSetup } from './definitions/bigcommerce-setup';
import { bigcommerceWebhook } from './definitions/bigcommerce-webhook';
import { catalogApply } from './definitions/catalog-apply';
import { catalogIndex } from './definitions/catalog-index';
import { intakeDrain } from './definitions/intake-drain';
import { lightspeedConnected } from './definitions/lightspeed-connected';
import { lightspeedEntity } from './definitions/lightspeed-entity';
import { lightspeedPoll, lightspeedPollSweep } from './definitions/lightspeed-poll';
import { inventorySweep, inventorySweepSchedule, inventorySync } from './definitions/inventory-sync';
import { orderIntake, orderRefund, orderSaleSync, ordersPoll, ordersPollSweep } from './definitions/order-intake';
import { pruneActivity } from './definitions/prune-activity';

export const createRegistry = () => new JobRegistry([
    pruneActivity,
    intakeDrain,
    bigcommerceWebhook,
    bigcommerceSetup,
    bigcommerceHooksSweep,
    lightspeedConnected,
    lightspeedEntity,
    lightspeedPoll,
    lightspeedPollSweep,
    catalogIndex,
    catalogApply,
    inventorySync,
    inventorySweep,
    inventorySweepSchedule,
    orderIntake,
    orderSaleSync,
    orderRefund,
    ordersPoll,
    ordersPollSweep,
  ]);
