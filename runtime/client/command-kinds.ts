// Which client commands open a subscription, run a query, or write (publish store, failed-write handling).

export const SUBSCRIBE_COMMANDS: ReadonlySet<string> = new Set(['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe']);
export const QUERY_COMMANDS: ReadonlySet<string> = new Set(['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe']);
export const WRITE_COMMANDS: ReadonlySet<string> = new Set(['publish', 'p', 'delta_publish', 'sow_delete']);
