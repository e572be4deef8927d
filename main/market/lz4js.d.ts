// lz4js ships no types: the one function the feather reader uses.
declare module 'lz4js' {
  /** Decompresses an LZ4 frame. */
  export function decompress(data: Uint8Array, maxSize?: number): Uint8Array;
}
