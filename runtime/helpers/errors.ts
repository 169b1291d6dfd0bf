// Errors raised by the message-format helpers. They are plain data-format errors (no connection or command
// involved), so they do not belong to the AMPSException hierarchy; each carries the byte/character offset at
// which the input stopped making sense.

/** Base class of every helper format error. */
export class MessageFormatError extends Error {
  /** Offset (bytes for composite messages, characters for FIX/NVFIX) where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = new.target.name;
    this.offset = offset;
  }
}

/** A composite message whose length prefixes do not add up to the input (truncated or corrupt). */
export class CompositeMessageFormatError extends MessageFormatError {}

/** A FIX/NVFIX field that cannot be parsed, or a tag/value a builder cannot encode unambiguously. */
export class FieldFormatError extends MessageFormatError {}
