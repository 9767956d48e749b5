/**
 * What connecting a retailer and booking sales needs: outlets (mapped to BigCommerce
 * locations), registers (the sale's register, and the rate-limit formula), users (the sale's
 * author), payment types (the sale's payment) and taxes (every sale line names one).
 */
import type { LightspeedTransport } from '../http';
import { iteratePages } from '../paging';
import { outletSchema, paymentTypeSchema, registerSchema, single, taxSchema, userSchema } from '../schemas';
import type { LightspeedUser, Outlet, Page, PaymentType, Register, Tax } from '../types';
import { getVersionPage, orNull, type VersionPageOptions } from './common';

export function setupEndpoints(transport: LightspeedTransport) {
  const outlets = {
    /** `GET /outlets` */
    list: (options?: VersionPageOptions): Promise<Page<Outlet>> => getVersionPage(transport, '/outlets', outletSchema, options),
    all: (options?: Omit<VersionPageOptions, 'after'>): AsyncGenerator<Outlet> => iteratePages((after) => outlets.list({ ...options, after })),
    /** `GET /outlets/{outlet_id}` */
    get: (id: string): Promise<Outlet | null> =>
      orNull(transport.request({ method: 'GET', path: '/outlets/{outlet_id}', params: { outlet_id: id }, schema: single(outletSchema) }).then((r) => r.data)),
  };

  const registers = {
    /** `GET /registers` */
    list: (options?: VersionPageOptions): Promise<Page<Register>> => getVersionPage(transport, '/registers', registerSchema, options),
    all: (options?: Omit<VersionPageOptions, 'after'>): AsyncGenerator<Register> => iteratePages((after) => registers.list({ ...options, after })),
    /** `GET /registers/{register_id}` */
    get: (id: string): Promise<Register | null> =>
      orNull(transport.request({ method: 'GET', path: '/registers/{register_id}', params: { register_id: id }, schema: single(registerSchema) }).then((r) => r.data)),
  };

  const users = {
    /** `GET /users` */
    list: (options?: Omit<VersionPageOptions, 'deleted'>): Promise<Page<LightspeedUser>> => getVersionPage(transport, '/users', userSchema, options),
    all: (options?: Omit<VersionPageOptions, 'after' | 'deleted'>): AsyncGenerator<LightspeedUser> => iteratePages((after) => users.list({ ...options, after })),
    /** `GET /user`: the user who authorised the app, a natural default author for booked sales. */
    current: (): Promise<LightspeedUser> => transport.request({ method: 'GET', path: '/user', schema: single(userSchema) }).then((r) => r.data),
  };

  const paymentTypes = {
    /** `GET /payment_types` */
    list: (options?: VersionPageOptions & { outletId?: string; currency?: string }): Promise<Page<PaymentType>> =>
      getVersionPage(transport, '/payment_types', paymentTypeSchema, { ...options, query: { outlet_id: options?.outletId, currency: options?.currency } }),
    all: (options?: Omit<VersionPageOptions, 'after'> & { outletId?: string; currency?: string }): AsyncGenerator<PaymentType> =>
      iteratePages((after) => paymentTypes.list({ ...options, after })),
  };

  const taxes = {
    /** `GET /taxes` */
    list: (options?: Omit<VersionPageOptions, 'deleted'>): Promise<Page<Tax>> => getVersionPage(transport, '/taxes', taxSchema, options),
    all: (): AsyncGenerator<Tax> => iteratePages((after) => taxes.list({ after })),
  };

  return { outlets, registers, users, paymentTypes, taxes };
}
