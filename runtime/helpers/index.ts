// Message-format helpers: composite, FIX and NVFIX builders and parsers. No dependency on the rest of the client.
export { CompositeMessageBuilder, CompositeMessageParser } from './composite.js';
export {
  FIXBuilder,
  FIXShredder,
  NVFIXBuilder,
  NVFIXShredder,
  SOH,
  type FieldValue,
} from './fix.js';
export { CompositeMessageFormatError, FieldFormatError, MessageFormatError } from './errors.js';
