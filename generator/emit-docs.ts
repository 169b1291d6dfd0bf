import type { Model } from './model.js';

export function emitDocs(model: Model): string {
  return `# API reference\n\n<!-- generated from spec/; do not edit. Run 'npm run generate'. -->\n\n${model.fields.length} header fields.\n`;
}
