/** The real `homecoming` command for tests: spawned with this Node, from the repository root, no progress bar. */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

export const cli = (...args: string[]) => {
  const result = spawnSync(process.execPath, ['cli/bin.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOMECOMING_PROGRESS: '0' },
  })
  if (result.error) throw result.error
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
