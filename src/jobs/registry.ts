/** Every job the app knows. The worker works all of them. */
import { JobRegistry } from './define';
import { bigcommerceWebhook } from './definitions/bigcommerce-webhook';
import { pruneActivity } from './definitions/prune-activity';

export const createRegistry = () => new JobRegistry([pruneActivity, bigcommerceWebhook]);
