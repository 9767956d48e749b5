/**
 * The one place that reads `process.env`. Every variable is validated with zod; a missing or
 * malformed value stops start-up with a message naming the variable and what it expects.
 * With nothing set the app runs on its embedded defaults: PGlite in `.data/` and the sandbox
 * platforms, with local secrets generated once into `.data/secrets.json`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import pkg from '../package.json';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const urlWithoutTrailingSlash = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), { message: `expected ${what} (http:// or https://)` })
    .transform((v) => v.replace(/\/+$/, ''));

const secretKey = z
  .string()
  .trim()
  .refine((v) => /^[0-9a-fA-F]{64}$/.test(v), {
    message: 'expected 64 hexadecimal characters (32 random bytes, e.g. `openssl rand -hex 32`)',
  });

const positiveInt = (what: string) =>
  z.coerce.number({ message: `expected ${what}` }).int({ message: `expected ${what}` }).positive({ message: `expected ${what}` });

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'expected development, production or test' }).default('development'),
    PORT: positiveInt('a TCP port number').max(65535).default(3000),
    /** The address `npm start` listens on: loopback unless the operator opens it up (behind a proxy). */
    HOST: z
      .string()
      .trim()
      .refine((v) => /^[A-Za-z0-9.:[\]-]+$/.test(v), { message: 'expected a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0' })
      .default('127.0.0.1'),
    APP_URL: urlWithoutTrailingSlash('the public base URL of the app').optional(),
    DATA_DIR: z.string().trim().min(1).default('.data'),
    DATABASE_URL: z
      .string()
      .trim()
      .transform((v) => (v === '' ? undefined : v))
      .refine((v) => v === undefined || /^postgres(ql)?:\/\/.+/.test(v), {
        message: 'expected a postgres:// or postgresql:// connection URL (leave unset for the embedded PGlite database)',
      })
      .optional(),
    ENCRYPTION_KEY: secretKey.optional(),
    SESSION_SECRET: z.string().trim().min(32, { message: 'expected at least 32 characters of random text' }).optional(),
    /** How long an app session token lives before the page renews it (silently, while open). */
    SESSION_TTL_SECONDS: positiveInt('a number of seconds').min(10, { message: 'expected at least 10 seconds' }).max(24 * 3600).default(15 * 60),
    /** How long the one-time launch code in the load callback's redirect can be exchanged. */
    LAUNCH_CODE_TTL_SECONDS: positiveInt('a number of seconds').max(600, { message: 'expected at most 600 seconds' }).default(60),
    SANDBOX: z.enum(['auto', 'on', 'off'], { message: 'expected auto, on or off' }).default('auto'),
    WORKER: z.enum(['in-app', 'off'], { message: 'expected in-app (run jobs inside the app) or off (use `npm run worker`)' }).default('in-app'),
    /**
     * The `npm run worker` process's scheduling priority (nice, 0–19): background work yields the
     * CPU to the web process's webhook answers when both share a machine. 0 leaves it as started.
     */
    WORKER_NICE: z.coerce.number({ message: 'expected a niceness from 0 to 19' }).int({ message: 'expected a niceness from 0 to 19' }).min(0, { message: 'expected a niceness from 0 to 19' }).max(19, { message: 'expected a niceness from 0 to 19' }).default(10),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'expected debug, info, warn or error' }).default('info'),
    BIGCOMMERCE_CLIENT_ID: optionalString,
    BIGCOMMERCE_CLIENT_SECRET: optionalString,
    BIGCOMMERCE_LOGIN_URL: urlWithoutTrailingSlash('the BigCommerce login/OAuth base URL').default('https://login.bigcommerce.com'),
    BIGCOMMERCE_API_URL: urlWithoutTrailingSlash('the BigCommerce API base URL').default('https://api.bigcommerce.com'),
    LIGHTSPEED_CLIENT_ID: optionalString,
    LIGHTSPEED_CLIENT_SECRET: optionalString,
    LIGHTSPEED_AUTH_URL: urlWithoutTrailingSlash('the Lightspeed X-Series authorize base URL').default('https://secure.retail.lightspeed.app'),
    LIGHTSPEED_API_URL: urlWithoutTrailingSlash('the retailer API base URL with a {domain_prefix} placeholder')
      .refine((v) => v.includes('{domain_prefix}'), { message: 'expected a URL containing {domain_prefix}' })
      .default('https://{domain_prefix}.retail.lightspeed.app'),
  })
  .superRefine((v, ctx) => {
    const pairs = [
      ['BIGCOMMERCE_CLIENT_ID', 'BIGCOMMERCE_CLIENT_SECRET'],
      ['LIGHTSPEED_CLIENT_ID', 'LIGHTSPEED_CLIENT_SECRET'],
    ] as const;
    for (const [id, secret] of pairs) {
      if (Boolean(v[id]) !== Boolean(v[secret])) {
        const missing = v[id] ? secret : id;
        ctx.addIssue({ code: 'custom', path: [missing], message: `required together with ${missing === id ? secret : id}` });
      }
    }
    if (v.SANDBOX === 'off' && !v.BIGCOMMERCE_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['BIGCOMMERCE_CLIENT_ID'], message: 'required when SANDBOX=off (the real BigCommerce app credentials)' });
    }
    if (v.DATABASE_URL && v.NODE_ENV === 'production') {
      for (const key of ['ENCRYPTION_KEY', 'SESSION_SECRET'] as const) {
        if (!v[key]) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'required in production with a shared DATABASE_URL, so every instance uses the same secret' });
        }
      }
    }
  });

export type RawEnv = z.output<typeof envSchema>;

export interface Env extends Omit<RawEnv, 'APP_URL' | 'ENCRYPTION_KEY' | 'SESSION_SECRET'> {
  APP_URL: string;
  ENCRYPTION_KEY: string;
  SESSION_SECRET: string;
  /** True when the app talks to its built-in emulated platforms. */
  sandbox: boolean;
  /** Absolute path of the local data folder. */
  dataDir: string;
  /** The BigCommerce app: real credentials, or the built-in sandbox store's. */
  bigcommerce: { clientId: string; clientSecret: string; loginUrl: string; apiUrl: string };
  /** The Lightspeed X-Series app: real credentials, or the built-in sandbox retailer's. */
  lightspeed: { clientId: string; clientSecret: string; authUrl: string; apiUrlTemplate: string };
}

/** Where the sandbox platforms are mounted inside the app. */
export const SANDBOX_PATHS = { bigcommerce: '/sandbox/bigcommerce', lightspeed: '/sandbox/lightspeed' } as const;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'EnvError';
  }
}

interface LocalSecrets {
  encryptionKey: string;
  sessionSecret: string;
}

/** Reads `.data/secrets.json`, creating it with fresh random secrets the first time. */
function localSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  mkdirSync(dataDir, { recursive: true });
  const fresh: LocalSecrets = { encryptionKey: randomBytes(32).toString('hex'), sessionSecret: randomBytes(32).toString('base64url') };
  try {
    // `wx` fails if the file exists, so two processes starting together keep one set of secrets.
    writeFileSync(file, JSON.stringify(fresh, null, 2), { flag: 'wx', mode: 0o600 });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stored = z.object({ encryptionKey: z.string().regex(/^[0-9a-f]{64}$/), sessionSecret: z.string().min(32) }).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!stored.success) throw new EnvError([`${file}: malformed local secrets file; delete it to generate new secrets (stored tokens become unreadable)`]);
  return stored.data;
}

/** Parses an environment record. Pure apart from generating local secrets when they are absent. */
export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const value = source[name];
        const shown = value === undefined ? 'it is not set' : `got ${JSON.stringify(name.includes('SECRET') || name.includes('KEY') ? '<hidden>' : value)}`;
        return `${name}: ${issue.message}; ${shown}`;
      }),
    );
  }
  const raw = result.data;
  const dataDir = path.resolve(cwd, raw.DATA_DIR);
  const needsLocal = !raw.ENCRYPTION_KEY || !raw.SESSION_SECRET;
  const local = needsLocal ? localSecrets(dataDir) : undefined;
  const appUrl = raw.APP_URL ?? `http://localhost:${raw.PORT}`;
  const sessionSecret = raw.SESSION_SECRET ?? local!.sessionSecret;
  const sandbox = raw.SANDBOX === 'on' || (raw.SANDBOX === 'auto' && !raw.BIGCOMMERCE_CLIENT_ID);
  // Sandbox credentials are derived from the session secret: stable across restarts, local to this install.
  const derived = (label: string) => createHmac('sha256', sessionSecret).update(label).digest('base64url');
  const lightspeedSandbox = sandbox && !raw.LIGHTSPEED_CLIENT_ID;
  return {
    ...raw,
    APP_URL: appUrl,
    ENCRYPTION_KEY: raw.ENCRYPTION_KEY ?? local!.encryptionKey,
    SESSION_SECRET: sessionSecret,
    sandbox,
    dataDir,
    bigcommerce: sandbox
      ? { clientId: 'counterpart-sandbox', clientSecret: derived('bigcommerce-sandbox-client-secret'), loginUrl: appUrl + SANDBOX_PATHS.bigcommerce, apiUrl: appUrl + SANDBOX_PATHS.bigcommerce }
      : { clientId: raw.BIGCOMMERCE_CLIENT_ID!, clientSecret: raw.BIGCOMMERCE_CLIENT_SECRET!, loginUrl: raw.BIGCOMMERCE_LOGIN_URL, apiUrl: raw.BIGCOMMERCE_API_URL },
    lightspeed: lightspeedSandbox
      ? {
          clientId: 'counterpart-sandbox',
          clientSecret: derived('lightspeed-sandbox-client-secret'),
          authUrl: appUrl + SANDBOX_PATHS.lightspeed,
          apiUrlTemplate: `${appUrl}${SANDBOX_PATHS.lightspeed}/{domain_prefix}`,
        }
      : { clientId: raw.LIGHTSPEED_CLIENT_ID ?? '', clientSecret: raw.LIGHTSPEED_CLIENT_SECRET ?? '', authUrl: raw.LIGHTSPEED_AUTH_URL, apiUrlTemplate: raw.LIGHTSPEED_API_URL },
  };
}

let cached: Env | undefined;

/**
 * The environment at a process's start-up (the server, the app's start-up hook, the worker): bad
 * configuration stops the process, naming each variable and what it expects — nothing can be
 * right after it.
 */
export function envOrExit(): Env {
  try {
    return env();
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
}

/** The validated environment of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The release the app reports on /api/health. */
export const appVersion: string = pkg.version;
