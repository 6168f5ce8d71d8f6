/** Typed arrays as base64 text and back, bit-exactly (isomorphic: no Buffer), so numbers cross JSON unchanged. */

/** The bytes of `view` as base64. */
export const toBase64 = (view: ArrayBufferView): string => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** The bytes `toBase64` wrote, in a buffer of their own (wrap it in the typed array they came from). */
export const fromBase64 = (text: string): ArrayBuffer => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}
