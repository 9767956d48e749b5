/** Store information (store_information.v2.yml `GET /v2/store`): plan, default channel, MSF flag. */
import type { BigCommerceHttp } from './http';
import { storeInformationSchema, type StoreInformation } from './schemas';

export function createStoreApi(http: BigCommerceHttp) {
  return {
    info(): Promise<StoreInformation> {
      return http.request({ method: 'GET', path: '/v2/store', schema: storeInformationSchema });
    },
  };
}

export type StoreApi = ReturnType<typeof createStoreApi>;
