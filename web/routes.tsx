/** The web pages (placeholder until the front end lands): a start page pointing at the API. */
import { Hono } from 'hono'
import type { ApiDeps } from '../functions/api/app'

export const createWebRoutes = (_deps: ApiDeps) => {
  const web = new Hono()
  web.get('/', (c) =>
    c.html(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Homecoming</title></head><body><h1>Homecoming</h1><p>The API is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>',
    ),
  )
  return web
}
