/** The whole app, the same locally and in Lambda: the API and the web pages on one Hono instance. */
import { Hono } from 'hono'
import { createApi, type ApiDeps } from '../functions/api/app'
import { createWebRoutes } from './routes'

export const createHomecomingApp = (deps: ApiDeps) => {
  const app = new Hono()
  app.route('/', createWebRoutes(deps))
  app.route('/', createApi(deps))
  return app
}
