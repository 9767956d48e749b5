import { bigcommerceSandbox, sandboxRoute } from '@/app/_lib/sandboxes';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = sandboxRoute(bigcommerceSandbox);
