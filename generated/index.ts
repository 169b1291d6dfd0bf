// generated from spec/headers.yaml, spec/commands.yaml, spec/options.yaml, spec/enums.yaml, spec/exceptions.yaml, spec/uri-options.yaml; do not edit. Run 'npm run generate'.

export * from './header-fields.js';
export * from './enums.js';
export * from './errors.js';
export * from './commands.js';
export * from './options.js';
export * from './uri-options.js';
export * from './message-fields.js';
export * from './command-builder.js';
