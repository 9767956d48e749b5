/**
 * A minimal method + path-pattern router. Patterns use `:name` segments; routes are tried in
 * registration order, so literal paths (`/catalog/products/channel-assignments`) are registered
 * before the parameterised ones they would otherwise collide with. `:…id` segments match digits
 * only, as BigCommerce ids are integers.
 */
import type { RouteContext } from './runtime';

type Handler<C> = (ctx: C) => Promise<Response> | Response;

interface Route<C> {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler<C>;
}

export type Match<C> = { handler: Handler<C>; params: Record<string, string> } | { methodNotAllowed: true } | null;

export class Router<C = RouteContext> {
  private readonly routes: Route<C>[] = [];

  add(method: string, pattern: string, handler: Handler<C>): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const name = segment.slice(1);
        names.push(name);
        return name.endsWith('id') ? '(\\d+)' : '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, regex: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  get(pattern: string, handler: Handler<C>): this {
    return this.add('GET', pattern, handler);
  }
  post(pattern: string, handler: Handler<C>): this {
    return this.add('POST', pattern, handler);
  }
  put(pattern: string, handler: Handler<C>): this {
    return this.add('PUT', pattern, handler);
  }
  delete(pattern: string, handler: Handler<C>): this {
    return this.add('DELETE', pattern, handler);
  }

  match(method: string, path: string): Match<C> {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      return { handler: route.handler, params };
    }
    return pathMatched ? { methodNotAllowed: true } : null;
  }
}
