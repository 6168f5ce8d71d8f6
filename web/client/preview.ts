/** The page's side of the preview worker: one job at a time, and only the newest waiting job is kept. */
import type { PreviewJob, PreviewMessage } from './preview-protocol'

export class PreviewEngine {
  private readonly worker: Worker
  private busy = false
  private waiting: PreviewJob | undefined

  constructor(workerUrl: string, onMessage: (message: PreviewMessage) => void) {
    this.worker = new Worker(workerUrl, { type: 'module', name: 'homecoming-preview' })
    this.worker.onmessage = (event: MessageEvent<PreviewMessage>) => {
      if (event.data.type !== 'comparison') this.next()
      onMessage(event.data)
    }
    this.worker.onerror = (event) => {
      event.preventDefault()
      this.next()
      onMessage({ id: -1, type: 'error', message: event.message || 'the preview worker failed' })
    }
  }

  /** Run `job` now, or when the job in hand finishes (replacing any job already waiting). */
  request(job: PreviewJob): void {
    if (this.busy) {
      this.waiting = job
      return
    }
    this.busy = true
    this.worker.postMessage(job)
  }

  private next(): void {
    this.busy = false
    const job = this.waiting
    this.waiting = undefined
    if (job) this.request(job)
  }
}
