/** Placeholder entry so the CDK app can bundle and synth; the real handler replaces this file. */
export const handler = async () => ({ statusCode: 503, body: 'not built yet' })
