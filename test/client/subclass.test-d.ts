import { expectTypeOf, test } from 'vitest';
import { Client, HAClient, SowRecoveryPointAdapter } from '../../runtime/index.js';

test('an HAClient is usable wherever a Client is expected', () => {
  const ha = new HAClient('ha');
  const c: Client = ha;
  expectTypeOf(c).toMatchTypeOf<Client>();
  ha.setDisconnectHandler((client, error) => {
    expectTypeOf(client).toEqualTypeOf<HAClient>();
    expectTypeOf(error).toEqualTypeOf<Error>();
  });
  expectTypeOf(new HAClient('x').getDisconnectHandler()).toEqualTypeOf<((client: HAClient, error: Error) => void | Promise<void>) | undefined>();
  void SowRecoveryPointAdapter;
});
