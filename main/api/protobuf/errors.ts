/** Thrown for any body that cannot be decoded: bad magic, truncation, wrong wire type, unknown kind. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}
