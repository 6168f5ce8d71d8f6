/** The whole app, the same locally and in Lambda: the API and the web pages on one Hono instance. */
import { Hono } from 'hono'
import { createApi, responseHeaders, type ApiDeps } from '../functions/api/app'
import { notFound, problemResponse } from '../functions/api/problems'
import { createWebRoutes } from '../web/routes'

export const createHomecomingApp = (deps: ApiDeps) => {
  const app = new Hono()
  // the API sets these on its own routes; the pages, the bundle and the 404s need them as well
  app.use('*', responseHeaders())
  app.route('/', createWebRoutes(deps))
  app.route('/', createApi(deps))
  // a mounted app's notFound is not consulted by its parent: the API's JSON 404 has to be set here
  app.notFound((c) => problemResponse(c, notFound(`${c.req.method} ${c.req.path}`)))
  return app
}
